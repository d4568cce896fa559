"""python manage.py indicators [--json] [--region CODE] [--on DATE]

Every indicator of the policy, recomputed from the certificates and persons themselves (not from
the dashboard's aggregates), with its goal, pace, projection and status, and every breakdown.
With --json the last line is one JSON object.
"""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongjiang.core.models import Region
from gongjiang.stats.selectors import fmt, indicators_report


class Command(BaseCommand):
    help = "计算全部目标指标（直接按原始数据重算）；--json 时最后一行输出 JSON"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")
        parser.add_argument("--region", help="县区或功能板块代码，如 320707；不填为全市")
        parser.add_argument("--on", help="统计日期 YYYY-MM-DD，默认今天")

    def handle(self, *args, json: bool = False, region: str | None = None, on: str | None = None, **options):
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD：%s" % on) from exc
        if region and not Region.objects.filter(code=region).exclude(kind="city").exists():
            raise CommandError("未知的县区代码：%s" % region)
        result, indicators, _figures = indicators_report(on=day, region=region)
        for ind in indicators:
            t = ind.target
            if ind.available:
                self.stdout.write(
                    f"{t.name}：{fmt(t, ind.value)}（目标 {fmt(t, ind.goal)}，按进度应达 {fmt(t, ind.pace)}，"
                    f"2030年末预计 {fmt(t, ind.projection)}，{ind.status_label}）"
                )
            else:
                self.stdout.write(f"{t.name}：数据待接入（目标 {fmt(t, ind.goal)}）")
        for code, c in result["by_region"].items():
            self.stdout.write(
                f"  {code}: 技能 {c['skilled']}，高技能 {c['high']}，新增 {c['new_high_skilled']}"
            )
        if json:
            self.stdout.write(_dumps(result))


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
