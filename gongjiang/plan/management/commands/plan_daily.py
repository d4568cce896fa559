"""python manage.py plan_daily [--on DATE]

The plan's daily check: opens the quarter's progress reports, reminds departments of reports due
soon, raises 督办 for overdue reports and lagging milestones, carries paid benefit payments into
the funding. Safe to run more than once a day (nothing is raised twice). Prints a JSON summary."""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from gongjiang.plan.services import plan_daily


class Command(BaseCommand):
    help = "部门任务每日检查：开启季度进展报告、到期提醒、逾期和里程碑滞后督办、同步待遇发放支出"

    def add_arguments(self, parser):
        parser.add_argument("--on", default=None, help="按哪一天检查（YYYY-MM-DD，默认今天）")

    def handle(self, *args, on: str | None, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD：%s" % on) from exc
        self.stdout.write(json.dumps(plan_daily(day), ensure_ascii=False))
