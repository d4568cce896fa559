"""python manage.py import KIND FILE [--dry-run] [--valid-only] [--errors OUT.xlsx] [--as USER]

The same pipeline as the web page, run now in a child process with the worker's memory limit. The last line printed is one JSON
object; exit 0 when every row was accepted, 1 when some were rejected, 2 when the file is unusable.
"""

import json
import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobMode, JobStatus
from gongjiang.jobs.registry import REGISTRY
from gongjiang.jobs.services import import_run_file


class Command(BaseCommand):
    help = "导入花名册等数据（与页面上的导入为同一流程）"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="导入种类：" + "、".join(sorted(REGISTRY)))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只校验和统计，不写入")
        parser.add_argument("--valid-only", action="store_true", help="有错误行时仍导入正确的行")
        parser.add_argument("--errors", type=Path, help="错误报告输出路径（.xlsx）")
        parser.add_argument("--as", dest="username", help="以该用户的权限和数据范围导入（默认：全市范围）")

    def handle(self, *args, kind, file, dry_run, valid_only, errors, username, **options):
        if kind not in REGISTRY:
            raise CommandError("未知的导入种类“%s”，可用：%s" % (kind, "、".join(sorted(REGISTRY))))
        if not file.is_file():
            self._finish({"error": "文件不存在：%s" % file}, 2)
        actor = self._actor(username)
        if not actor.has_perm(REGISTRY[kind].permission):
            raise CommandError("用户 %s 没有导入“%s”的权限" % (actor.username, REGISTRY[kind].label))
        mode = JobMode.DRY_RUN if dry_run else (JobMode.VALID_ONLY if valid_only else JobMode.COMMIT)
        # In a child process with the worker's memory limit, unless a caller's transaction is open
        # (a test's): a child could not see its uncommitted rows.
        isolated = not transaction.get_connection().in_atomic_block
        job = import_run_file(actor=actor, kind=kind, path=file, mode=mode, isolated=isolated)
        if errors and job.output_file:
            with files.decrypted_copy(job.output_file, suffix=".xlsx") as clear:
                shutil.copyfile(clear, errors)
        self.stderr.write(job.message)
        if job.status == JobStatus.FAILED:
            self._finish({"error": job.message, **job.result}, 2)
        summary = {
            key: job.result.get(key, 0)
            for key in ("rows", "accepted", "rejected", *REGISTRY[kind].result_keys)
        }
        self._finish(summary, 1 if job.result.get("rejected") else 0)

    def _actor(self, username):
        if username:
            try:
                return User.objects.get(username__iexact=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError("用户不存在：%s" % username) from None
        # Without --as the command acts with the whole city's scope, as the system account.
        actor, _ = User.objects.get_or_create(
            username="system-import",
            defaults={"role": Role.CITY_ADMIN, "first_name": "命令行导入", "is_active": False},
        )
        actor.is_active = True  # permission checks need an active user; the account cannot log in
        actor.set_unusable_password()
        return actor

    def _finish(self, payload: dict, code: int):
        self.stdout.write(json.dumps(payload, ensure_ascii=False, default=str))
        sys.exit(code)
