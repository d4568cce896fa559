"""Back up the database and the encrypted files into a directory, with a manifest (no keys)."""

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongjiang.accounts.services import audit_record
from gongjiang.common.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和加密文件到一个新目录（含行数和校验和清单；不含密钥）"

    def add_arguments(self, parser):
        parser.add_argument("out_dir", type=Path)
        parser.add_argument("--json", action="store_true", help="最后一行输出清单摘要 JSON")

    def handle(self, *args, out_dir: Path, json: bool = False, **options):
        try:
            manifest = backup_create(out_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(m["count"] for m in manifest["models"].values())
        audit_record(
            actor=None,
            username="system",
            action="backup.create",
            object_type="backup",
            object_repr=str(out_dir)[:200],
            changes={
                "rows": rows,
                "files": len(manifest["files"]),
                "audit_last_id": manifest["audit"]["last_id"],
            },
        )
        summary = {
            "dir": str(out_dir),
            "rows": rows,
            "tables": len(manifest["models"]),
            "files": len(manifest["files"]),
        }
        if json:
            self.stdout.write(_dumps(summary))
        else:
            self.stdout.write(
                f"备份完成：{out_dir}，{summary['tables']} 张表共 {rows} 行，{summary['files']} 个加密文件"
            )


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
