"""Check the audit chain: every row's HMAC-SM3, its link to the previous row, and the table
against the latest signed checkpoint of the chain head (so deleting the newest rows is found)."""

from django.core.management.base import BaseCommand, CommandError

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.services import (
    audit_checkpoint,
    audit_latest_checkpoint,
    audit_verify,
    audit_verify_checkpoint,
)


class Command(BaseCommand):
    help = "校验审计日志链（HMAC-SM3）和最近的检查点，列出被篡改、删除或截断的记录；--checkpoint 通过后写新检查点"

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true", help="校验通过后写一个新的检查点")

    def handle(self, *args, checkpoint=False, **options):
        bad = audit_verify()
        problems = audit_verify_checkpoint()
        total = AuditEntry.objects.count()
        if bad or problems:
            lines = [f"审计日志校验失败：共 {total} 条"]
            if bad:
                shown = ", ".join(str(i) for i in bad[:50])
                lines.append(f"{len(bad)} 条不一致，编号：{shown}")
            lines.extend(problems)
            raise CommandError("；".join(lines))
        point = audit_latest_checkpoint()
        against = f"，与检查点（{point['at'][:19]}，{point['count']} 条）一致" if point else "（尚无检查点）"
        self.stdout.write(f"审计日志校验通过：共 {total} 条{against}")
        if checkpoint:
            point = audit_checkpoint()
            self.stdout.write(f"已写检查点：{point['count']} 条，最后编号 {point['last_id']}")
