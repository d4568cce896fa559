"""Restore a backup into a database just created empty, then check it against the manifest and
verify the audit chain."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gongjiang.accounts.services import audit_record
from gongjiang.common.backup import BackupError, restore


class Command(BaseCommand):
    help = "把备份恢复到一个新建的空数据库（没有任何表），核对清单行数并校验审计日志链"

    def add_arguments(self, parser):
        parser.add_argument("in_dir", type=Path)

    def handle(self, *args, in_dir: Path, **options):
        try:
            counts = restore(in_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复 {len(counts)} 张表共 {sum(counts.values())} 行，与备份清单一致")
        call_command("verify_audit", stdout=self.stdout)
        audit_record(
            actor=None,
            username="system",
            action="backup.restore",
            object_type="backup",
            object_repr=str(in_dir)[:200],
            changes={"rows": sum(counts.values())},
        )
