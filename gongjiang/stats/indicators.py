"""The policy's targets and the arithmetic of pace, projection and status: plain functions on
numbers and dates, no database (tested on crafted series in tests/test_indicators.py).

Pace: a straight line from the value at 2025-12-31 (the baseline) to the goal at the deadline
says where the indicator should be on a given day. Projection: where the recent trend lands it at
the deadline. Status: ahead / on pace / behind, by the gap between the value and the pace, with a
tolerance per indicator so that a few persons either way do not flip it.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gongjiang.core import policy

from .choices import Status

BASE_DATE = policy.BASE_DATE  # the value on this day is the baseline of every pace line
START = policy.PERIOD_START
DEADLINE = policy.PERIOD_END
PROJECTION_MONTHS = 6  # the new-high-skilled trend: the last six complete months
SHARE_TREND_DAYS = 183  # the share trend: daily snapshots of the last half year


@dataclass(frozen=True)
class Target:
    """One indicator of DESIGN.md's table: its goal, unit and definition (口径)."""

    code: str
    name: str
    unit: str  # 人, %, 家, 所
    goal: float | None
    definition: str
    tolerance: float = 0  # |value − pace| within this is "on pace" (in the indicator's units)
    is_share: bool = False


NEW_HIGH_SKILLED = Target(
    code="new_high_skilled",
    name="新增高技能人才",
    unit="人",
    goal=policy.NEW_HIGH_SKILLED_GOAL,
    tolerance=500,
    definition=(
        "2026年1月1日至2030年12月31日期间成为本市高技能人才的人数：成为日期为其首张有效的高级工及以上证书"
        "（含特级技师、首席技师聘任）的发证日期；引进人才取该日期与引进日期中较晚者。每人只计一次，"
        "计入成为当年（月）；专项职业能力证书不计；已撤销或已过期的证书不计。按人员现工作县区统计。"
    ),
)
HIGH_SKILLED_SHARE = Target(
    code="high_skilled_share",
    name="高技能人才占技能劳动者比例",
    unit="%",
    goal=policy.HIGH_SKILLED_SHARE_GOAL,
    tolerance=0.005,
    is_share=True,
    definition=(
        "高技能人才数 ÷ 全市技能劳动者总量（市级管理员录入的本期官方统计数；县区看本县区的官方统计数）。"
        "高技能人才：持有有效的高级工及以上证书的人员，每人只计一次。本库不掌握全部技能劳动者，"
        "未录入官方统计数时不计算目标口径占比、不判断进度。进度基期：2025年末高技能人才数 ÷ 2025年官方统计数"
        "（未录入2025年的，取本期官方统计数）。库内口径：高技能人才数 ÷ 持有任一有效带等级技能证书的人数，仅供参考。"
    ),
)
NEW_CARRIERS = Target(
    code="new_carriers",
    name="新建市级以上高技能人才培养载体",
    unit="家",
    goal=policy.NEW_CARRIERS_GOAL,
    tolerance=1,
    definition=(
        "2026—2030年首次被认定为市级及以上的产教融合实训基地、高技能人才培训基地、技能大师工作室、"
        "乡土人才大师工作室、劳模和工匠人才创新工作室；升级不重复计算。"
    ),
)
TEACHER_SHARE = Target(
    code="teacher_share",
    name="专业课教师高级证书比例",
    unit="%",
    goal=policy.TEACHER_GOAL_PERCENT / 100,
    tolerance=0.01,
    is_share=True,
    definition=(
        "全市各类职业学校（含技工院校）专业课教师和实习指导教师中，持有高级工及以上职业资格（技能）等级证书的人数"
        " ÷ 专业课教师和实习指导教师总数。"
    ),
)
DEMONSTRATION_SCHOOLS = Target(
    code="demonstration_schools",
    name="高水平示范性学校",
    unit="所",
    goal=sum(policy.DEMONSTRATION_GOAL_BY_KIND.values()),
    definition="“十五五”期间重点扶持建成的高水平示范性学校：职业学校2所、技工学校2所。",
)
WAGE_GROWTH = Target(
    code="wage_growth",
    name="技能人才工资增幅达标企业",
    unit="%",
    goal=policy.WAGE_GROWTH_GOAL,
    is_share=True,
    definition="报送工资情况的企业中，技能人才人均工资增幅不低于本单位职工人均工资增幅的企业所占比例（目标：全部企业）。",
)
TARGETS = (
    NEW_HIGH_SKILLED,
    HIGH_SKILLED_SHARE,
    NEW_CARRIERS,
    TEACHER_SHARE,
    DEMONSTRATION_SCHOOLS,
    WAGE_GROWTH,
)

PACE_NOTE = "进度线：从2025年12月31日的数值到2030年12月31日的目标连一条直线，按今天所处位置计算应达到的数值。"
PROJECTION_NOTES = {
    NEW_HIGH_SKILLED.code: "预计：以最近6个完整月的新增人数折算日均增速，从当前数值线性外推到2030年12月31日。",
    HIGH_SKILLED_SHARE.code: (
        "预计：以最近半年每日快照的占比做线性回归外推到2030年12月31日；快照不足30天时，按2025年末到今天的变化线性外推。"
    ),
    NEW_CARRIERS.code: "预计：按2026年1月1日以来的平均认定速度线性外推到2030年12月31日。",
}


def pace(*, baseline: float, goal: float, on: datetime.date) -> float:
    """Where a straight line from ``baseline`` at 2025-12-31 to ``goal`` at 2030-12-31 is on ``on``."""
    if on <= BASE_DATE:
        return baseline
    if on >= DEADLINE:
        return goal
    return baseline + (goal - baseline) * (on - BASE_DATE).days / (DEADLINE - BASE_DATE).days


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Month starts from ``first``'s month to ``last``'s month, inclusive."""
    months, current = [], month_start(first)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def complete_months(on: datetime.date, *, count: int = PROJECTION_MONTHS) -> list[datetime.date]:
    """The last ``count`` whole months before ``on``'s month that lie in 2026 or later."""
    last = add_months(month_start(on), -1)
    if last < START:
        return []
    return months_between(max(START, add_months(last, -(count - 1))), last)


def project_count(
    *,
    value: float,
    monthly: Mapping[datetime.date, float],
    on: datetime.date,
    deadline: datetime.date = DEADLINE,
) -> float | None:
    """The value at ``deadline`` if the daily rate of the last six complete months (``monthly``:
    new counts by month start) goes on. None before the first complete month of 2026."""
    if on >= deadline:
        return value
    months = complete_months(on)
    if not months:
        return None
    days = sum((month_end(m) - m).days + 1 for m in months)
    rate = sum(monthly.get(m, 0) for m in months) / days
    return value + rate * (deadline - on).days


def project_from_start(*, value: float, on: datetime.date, baseline: float = 0) -> float | None:
    """The value at the deadline if the average pace since 2025-12-31 goes on."""
    if on >= DEADLINE:
        return value
    elapsed = (on - BASE_DATE).days
    if elapsed <= 0:
        return None
    return baseline + (value - baseline) * (DEADLINE - BASE_DATE).days / elapsed


def project_share(
    *,
    value: float,
    on: datetime.date,
    baseline: float | None,
    series: Iterable[tuple[datetime.date, float]] = (),
) -> float | None:
    """The share at the deadline: a least-squares line through the daily snapshots of the last half
    year when they span at least 30 days, else the line from the baseline to today. Kept in 0…1."""
    if on >= DEADLINE:
        return value
    recent = [(d, v) for d, v in series if on - datetime.timedelta(days=SHARE_TREND_DAYS) <= d <= on]
    slope = None
    if len(recent) >= 2 and (max(d for d, _ in recent) - min(d for d, _ in recent)).days >= 30:
        xs = [(d - on).days for d, _ in recent]
        ys = [v for _, v in recent]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        var = sum((x - mean_x) ** 2 for x in xs)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var
    elif baseline is not None and on > BASE_DATE:
        slope = (value - baseline) / (on - BASE_DATE).days
    if slope is None:
        return None
    return min(1.0, max(0.0, value + slope * (DEADLINE - on).days))


def status(*, value: float | None, pace_value: float | None, tolerance: float) -> tuple[str, float | None]:
    """Ahead, on pace or behind, and the gap ``value − pace`` in the indicator's units."""
    if value is None or pace_value is None:
        return Status.UNKNOWN, None
    gap = value - pace_value
    if gap > tolerance:
        return Status.AHEAD, gap
    if gap < -tolerance:
        return Status.BEHIND, gap
    return Status.ON_PACE, gap


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Indicator:
    """One indicator as the dashboard, the report and the command show it."""

    target: Target
    value: float | None
    goal: float | None = None
    baseline: float | None = None
    pace: float | None = None
    projection: float | None = None
    status: str = Status.UNKNOWN
    gap: float | None = None
    available: bool = True  # False: its data source (another app) is not connected yet
    url: str | None = None  # the rows behind the value
    parts: dict = field(default_factory=dict)  # e.g. high and skilled of a share
    notes: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.target.code

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def definition(self) -> str:
        lines = [self.target.definition]
        if self.pace is not None:
            lines.append(PACE_NOTE)
        if self.target.code in PROJECTION_NOTES and self.projection is not None:
            lines.append(PROJECTION_NOTES[self.target.code])
        return "\n".join(lines + self.notes)


_TARGET_GOAL = object()  # evaluate(): "the target's own goal", as opposed to None (no goal here)


def evaluate(
    target: Target,
    *,
    value: float | None,
    on: datetime.date,
    baseline: float | None,
    goal=_TARGET_GOAL,
    projection: float | None = None,
    **extra,
) -> Indicator:
    """An indicator with its pace and status computed from its baseline and goal (no pace without
    a baseline or a goal: then the status is unknown)."""
    goal = target.goal if goal is _TARGET_GOAL else goal
    pace_value = (
        pace(baseline=baseline, goal=goal, on=on) if baseline is not None and goal is not None else None
    )
    state, gap = status(value=value, pace_value=pace_value, tolerance=target.tolerance)
    if pace_value is None and value is not None and goal is not None and value >= goal:
        state = Status.MET
    return Indicator(
        target=target,
        value=value,
        goal=goal,
        baseline=baseline,
        pace=pace_value,
        projection=projection,
        status=state,
        gap=gap,
        **extra,
    )
