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
from gongjiang.stats.figures import Counts
from gongjiang.stats.indicators import add_months
from gongjiang.stats.selectors import TOP_OCCUPATIONS, fmt, indicators_from_raw


def _r(value, digits: int = 4):
    return round(value, digits) if isinstance(value, float) else value


def _groups(groups: dict[str, Counts]) -> dict[str, dict]:
    return {
        key: {"skilled": c.skilled, "high": c.high, "new_high_skilled": c.new_high, "share": _r(c.share)}
        for key, c in sorted(groups.items())
    }


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
        figures, indicators = indicators_from_raw(on=day, region=region)
        result: dict = {"on": day.isoformat(), "region": region}
        for ind in indicators:
            entry = {
                "name": ind.target.name,
                "value": _r(ind.value),
                "goal": _r(ind.goal),
                "pace": _r(ind.pace),
                "baseline": _r(ind.baseline),
                "projection": _r(ind.projection),
                "status": ind.status,
                "gap": _r(ind.gap),
                "available": ind.available,
            }
            if ind.code == "high_skilled_share":
                entry.update(
                    high=ind.parts["high"],
                    skilled=ind.parts["skilled"],
                    official_year=ind.parts["official_year"],
                    official_skilled=ind.parts["official_skilled"],
                    official_share=_r(ind.parts["official_share"]),
                    registry_share=_r(ind.parts["registry_share"]),
                )
            elif ind.available:
                entry.update({k: v for k, v in ind.parts.items() if k != "data" and not isinstance(v, list)})
            result[ind.code] = entry
            t = ind.target
            if ind.available:
                self.stdout.write(
                    f"{t.name}：{fmt(t, ind.value)}（目标 {fmt(t, ind.goal)}，按进度应达 {fmt(t, ind.pace)}，"
                    f"2030年末预计 {fmt(t, ind.projection)}，{ind.status_label}）"
                )
            else:
                self.stdout.write(f"{t.name}：数据待接入（目标 {fmt(t, ind.goal)}）")
        result["by_region"] = {
            code: {"new_high_skilled": c.new_high, "high": c.high, "skilled": c.skilled, "share": _r(c.share)}
            for code, c in sorted(figures.by_region.items())
        }
        quarters: dict[str, int] = {}
        years: dict[str, int] = {}
        for month, n in sorted(figures.new_by_month.items()):
            quarter = f"{month.year}Q{(month.month - 1) // 3 + 1}"
            quarters[quarter] = quarters.get(quarter, 0) + n
            years[str(month.year)] = years.get(str(month.year), 0) + n
        top = sorted(figures.by_occupation.items(), key=lambda kv: (-kv[1].high, -kv[1].skilled, kv[0]))
        result.update(
            by_domain=_groups(figures.by_domain),
            by_level=_groups(figures.by_level),
            by_employer_kind=_groups(figures.by_employer_kind),
            by_flag=_groups(figures.by_flag),
            by_occupation_top20=_groups(dict(top[:TOP_OCCUPATIONS])),
            by_month={m.strftime("%Y-%m"): n for m, n in sorted(figures.new_by_month.items())},
            by_quarter=quarters,
            by_year=years,
            by_region_quarter=self._region_quarters(figures),
        )
        for code, c in result["by_region"].items():
            self.stdout.write(
                f"  {code}: 技能 {c['skilled']}，高技能 {c['high']}，新增 {c['new_high_skilled']}"
            )
        if json:
            self.stdout.write(_dumps(result))

    def _region_quarters(self, figures) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for (code, month), n in sorted(figures.new_by_region_month.items()):
            quarter_start = add_months(month, -((month.month - 1) % 3))
            key = f"{quarter_start.year}Q{(quarter_start.month - 1) // 3 + 1}"
            table.setdefault(code, {})
            table[code][key] = table[code].get(key, 0) + n
        return table


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
