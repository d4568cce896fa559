"""Check the audit chain: every row's HMAC-SM3 and its link to the previous row."""

from django.core.management.base import BaseCommand, CommandError

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.services import audit_verify


class Command(BaseCommand):
    help = "校验审计日志链（HMAC-SM3），列出被篡改或删除后断链的记录"

    def handle(self, *args, **options):
        bad = audit_verify()
        total = AuditEntry.objects.count()
        if bad:
            shown = ", ".join(str(i) for i in bad[:50])
            raise CommandError(f"审计日志校验失败：共 {total} 条，{len(bad)} 条不一致，编号：{shown}")
        self.stdout.write(f"审计日志校验通过：共 {total} 条")
