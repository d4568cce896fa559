"""Reads of the stats app: the dashboard as one object, built from the aggregates through the
scope rule (a region operator's dashboard holds only its region), with every number's drill-down
link into the person list."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.benefits.selectors import benefits_dashboard
from gongjiang.competitions.selectors import competitions_dashboard
from gongjiang.core.models import Domain, Occupation, Region, SkillLevel
from gongjiang.honours.selectors import honours_dashboard
from gongjiang.orgs.choices import OrgKind
from gongjiang.plan.selectors import plan_summary
from gongjiang.training.selectors import training_dashboard

from .choices import EmployerFlag, Status
from .figures import Counts, Figures, figures_from_raw, figures_from_tally, new_high_cap
from .indicators import (
    BASE_DATE,
    DEADLINE,
    DEMONSTRATION_SCHOOLS,
    HIGH_SKILLED_SHARE,
    NEW_CARRIERS,
    NEW_HIGH_SKILLED,
    SHARE_TREND_DAYS,
    START,
    TEACHER_SHARE,
    WAGE_GROWTH,
    Indicator,
    add_months,
    evaluate,
    month_end,
    months_between,
    pace,
    project_count,
    project_from_start,
    project_share,
    share,
    status,
)
from .models import DailySnapshot, OfficialTotal, RefreshState, Tally, TargetSplit
from .providers import provided

TOP_OCCUPATIONS = 20
CITY = "320700"
NOT_CONNECTED = "—（数据待接入）"


@dataclass
class Row:
    """One line of a breakdown: its counts, shares and the links to the persons behind them."""

    key: str
    label: str
    counts: Counts
    urls: dict[str, str | None] = field(default_factory=dict)  # skilled / high / new_high
    official: int | None = None  # officially reported 技能劳动者 (regions only)
    # Pace, status and gap of the share against the official total (DESIGN.md 指标口径): without
    # an official total the status is 无官方数 and there is no pace.
    share_pace: float | None = None
    share_status: str = Status.UNKNOWN
    share_gap: float | None = None

    @property
    def share(self) -> float | None:
        return self.counts.share

    @property
    def official_share(self) -> float | None:
        return share(self.counts.high, self.official) if self.official else None

    @property
    def share_status_label(self) -> str:
        return Status(self.share_status).label


@dataclass
class Period:
    label: str
    start: datetime.date
    end: datetime.date
    value: int
    url: str | None
    cumulative: int = 0


@dataclass
class Dashboard:
    on: datetime.date
    as_of: datetime.datetime | None
    pending: bool
    baseline_at: datetime.datetime | None
    region: Region | None  # the one region shown, or None for all the user may see
    regions_choice: list[Region]  # what a city-wide user may pick
    figures: Figures
    indicators: list[Indicator]
    regions: list[Row]
    domains: list[Row]
    levels: list[Row]
    employer_kinds: list[Row]
    flags: list[Row]
    occupations: list[Row]
    months: list[Period]
    quarters: list[Period]
    years: list[Period]
    region_quarters: list[tuple[Row, list[Period]]]
    official_year: int | None
    carriers: dict | None
    teachers: dict | None
    summary: list[str]
    charts: dict
    benefits: dict | None = None
    training: dict | None = None
    plan: list | None = None  # the quarterly report's section per measure (plan.selectors.plan_summary)
    competitions: dict | None = None
    honours: dict | None = None

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)


def dashboard_region(*, user: User, requested: str | None) -> str | None:
    """The region a city-wide user asked to narrow the dashboard to (None: all it may see). A region
    operator's dashboard is narrowed by the scope rule itself, so its request is ignored."""
    if user.role == Role.REGION_OPERATOR:
        return None
    if requested and Region.objects.filter(code=requested).exclude(kind="city").exists():
        return requested
    return None


def persons_url(user: User, **params) -> str | None:
    """The person list filtered to ``params`` (the drill-down), for users who may open it."""
    if not user.has_perm("talents.view_person"):
        return None
    clean = {k: v for k, v in params.items() if v is not None}
    return reverse("talents:person_list") + "?" + urlencode(clean)


def _new_params(start: datetime.date, end: datetime.date) -> dict:
    return {"is_high_skilled": "true", "since_from": start.isoformat(), "since_to": end.isoformat()}


def baseline_by_region(snapshots) -> dict[str, Counts]:
    """The stock on 2025-12-31 per region (the baseline rows of ``snapshots``)."""
    return {
        code: Counts(skilled=skilled, high=high)
        for code, skilled, high in snapshots.filter(date=BASE_DATE).values_list(
            "region_id", "skilled", "high"
        )
    }


def _sum_counts(counts: list[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total.add(c.skilled, c.high, c.new_high)
    return total


def share_trend(snapshots, *, on: datetime.date) -> list[tuple[datetime.date, int, int]]:
    """(day, skilled, high) per day over the last half year of daily snapshots (summed over their
    regions): the share's trend, against the registry's skilled or an official total."""
    trend: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, skilled, high in (
        snapshots.filter(
            date__gt=BASE_DATE, date__gte=on - datetime.timedelta(days=SHARE_TREND_DAYS), date__lte=on
        )
        .order_by()
        .values_list("date", "skilled", "high")
    ):
        trend[day][0] += skilled
        trend[day][1] += high
    return [(day, skilled, high) for day, (skilled, high) in sorted(trend.items())]


@dataclass(frozen=True)
class Officials:
    """The officially reported 技能劳动者 per region (320700: the city's own row): of the latest
    year entered up to the date shown (``year``, ``by_region``), and of the latest year up to the
    baseline's, 2025 (``base_by_region``), which the share's pace line starts from."""

    year: int | None = None
    by_region: dict[str, int] = field(default_factory=dict)
    base_by_region: dict[str, int] = field(default_factory=dict)

    def total(self, region: str | None) -> int | None:
        return _official_total(self.by_region, region)

    def base_total(self, region: str | None) -> int | None:
        """The official total the baseline share is taken against: the baseline year's where
        entered, else the current one (the registry's 2025 high-skilled count ÷ today's total)."""
        return _official_total(self.base_by_region, region) or self.total(region)


def official_totals(officials, *, on: datetime.date) -> Officials:
    """The officially reported 技能劳动者 per region up to ``on``'s year (one read)."""
    rows = list(
        officials.filter(year__lte=on.year)
        .order_by("-year")
        .values_list("region_id", "year", "skilled_workers")
    )
    year = rows[0][1] if rows else None
    base_years = [y for _code, y, _n in rows if y <= BASE_DATE.year]
    base_year = base_years[0] if base_years else None
    return Officials(
        year=year,
        by_region={code: n for code, y, n in rows if y == year},
        base_by_region={code: n for code, y, n in rows if y == base_year},
    )


def indicators_from_raw(*, on: datetime.date, region: str | None = None) -> tuple[Figures, list[Indicator]]:
    """Every indicator and breakdown recomputed from the certificates and persons on ``on`` (all
    regions or one), without the aggregates: for ``manage.py indicators`` (run on the server, so
    not narrowed to a user) and for the tests that hold the dashboard to it. The share's trend
    and the official totals come from their own tables, as on the dashboard."""
    figures = figures_from_raw(on=on, region=region)
    baseline = figures_from_raw(on=BASE_DATE, region=region).total
    snapshots = DailySnapshot.objects.filter(region=region) if region else DailySnapshot.objects.all()
    officials = OfficialTotal.objects.filter(region=region) if region else OfficialTotal.objects.all()
    indicators = build_indicators(
        figures=figures,
        on=on,
        baseline=baseline,
        trend=share_trend(snapshots, on=on),
        city_wide=region is None,
        provider_region=region,
        officials=official_totals(officials, on=on),
        splits=target_splits(TargetSplit.objects.all(), region=region),
    )
    return figures, indicators


def _r(value, digits: int = 4):
    return round(value, digits) if isinstance(value, float) else value


def _groups(groups: dict[str, Counts]) -> dict[str, dict]:
    return {
        key: {"skilled": c.skilled, "high": c.high, "new_high_skilled": c.new_high, "share": _r(c.share)}
        for key, c in sorted(groups.items())
    }


def _region_quarters(figures: Figures) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for (code, month), n in sorted(figures.new_by_region_month.items()):
        quarter_start = add_months(month, -((month.month - 1) % 3))
        key = f"{quarter_start.year}Q{(quarter_start.month - 1) // 3 + 1}"
        table.setdefault(code, {})
        table[code][key] = table[code].get(key, 0) + n
    return table


def indicators_report(
    *, on: datetime.date, region: str | None = None
) -> tuple[dict, list[Indicator], Figures]:
    """Every indicator and breakdown as the JSON object ``manage.py indicators --json`` prints
    (and the API answers), recomputed from the raw rows; with the indicators and figures it was
    made from, for the command's text lines."""
    figures, indicators = indicators_from_raw(on=on, region=region)
    result: dict = {"on": on.isoformat(), "region": region}
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
        by_region_quarter=_region_quarters(figures),
    )
    return result, indicators, figures


def dashboard(*, user: User, region: str | None = None, with_plan: bool = False) -> Dashboard:
    """Everything the dashboard, the printable report and the xlsx show, for ``user`` (scoped) and
    optionally one region. A handful of small reads: the aggregates, the snapshots, the official
    totals, reference names, and the providers of other apps' indicators."""
    state = RefreshState.objects.filter(pk=1).first()
    as_of = state.as_of if state else None
    on = timezone.localdate(as_of) if as_of else timezone.localdate()
    cap = new_high_cap(on)
    region = dashboard_region(user=user, requested=region)

    tally = Tally.objects.for_user(user)
    snapshots = DailySnapshot.objects.for_user(user)
    officials = OfficialTotal.objects.for_user(user)
    if region:
        tally, snapshots, officials = (
            tally.filter(region=region),
            snapshots.filter(region=region),
            officials.filter(region=region),
        )
    figures = figures_from_tally(tally, on=on)
    # A region operator's own region: for the labels and the other apps' providers only.
    own_region = user.region_id if user.role == Role.REGION_OPERATOR else None
    city_wide = region is None and own_region is None

    region_names = {r.code: r for r in Region.objects.all()}
    level_names = {lv.code: lv for lv in SkillLevel.objects.all()}
    domain_names = {d.code: d.name for d in Domain.objects.all()}
    region_param = {"region": region} if region else {}

    def row(key: str, label: str, counts: Counts, **params) -> Row:
        params = {**region_param, **params}
        return Row(
            key=key,
            label=label,
            counts=counts,
            urls={
                "skilled": persons_url(user, skilled="true", **params),
                "high": persons_url(user, is_high_skilled="true", **params),
                "new_high": persons_url(user, **_new_params(START, cap), **params),
            },
        )

    base_by_region = baseline_by_region(snapshots)
    base_rows = list(base_by_region.values())
    trend = share_trend(snapshots, on=on)
    officials_entered = official_totals(officials, on=on)

    # Regions
    if region or own_region:
        shown = [region_names[region or own_region]] if (region or own_region) in region_names else []
    else:
        shown = [r for r in region_names.values() if r.kind != "city"]
    regions = []
    for r in shown:
        line = row(r.code, r.name, figures.by_region.get(r.code, Counts()), region=r.code)
        line.official = officials_entered.total(r.code)
        if not line.official:
            line.share_status = Status.NO_OFFICIAL
        elif r.code in base_by_region:
            base_share = share(base_by_region[r.code].high, officials_entered.base_total(r.code))
            line.share_pace = pace(baseline=base_share, goal=HIGH_SKILLED_SHARE.goal, on=on)
            line.share_status, line.share_gap = status(
                value=line.official_share, pace_value=line.share_pace, tolerance=HIGH_SKILLED_SHARE.tolerance
            )
        regions.append(line)

    domains = [
        row(code, domain_names.get(code, "未填写") if code else "未填写", c, domain=code or "null")
        for code, c in sorted(figures.by_domain.items(), key=lambda kv: _domain_order(kv[0], domain_names))
    ]
    levels = [
        row(code, level_names[code].name if code in level_names else code, c, highest_level=code)
        for code, c in sorted(
            figures.by_level.items(), key=lambda kv: level_names[kv[0]].rank if kv[0] in level_names else 99
        )
    ]
    kind_labels = dict(OrgKind.choices)
    employer_kinds = [
        row(
            code,
            kind_labels.get(code, "无工作单位") if code else "无工作单位",
            c,
            employer_kind=code or "none",
        )
        for code, c in sorted(figures.by_employer_kind.items(), key=lambda kv: -kv[1].skilled)
    ]
    flags = [
        row(flag.value, flag.label, figures.by_flag.get(flag.value, Counts()), **{flag.value: "true"})
        for flag in EmployerFlag
    ]
    top = sorted(figures.by_occupation.items(), key=lambda kv: (-kv[1].high, -kv[1].skilled, kv[0]))
    top = top[:TOP_OCCUPATIONS]
    occupation_names = Occupation.objects.in_bulk([code for code, _c in top if code])
    occupations = [
        row(
            code,
            occupation_names[code].name if code in occupation_names else "未填写",
            c,
            occupation=code or "null",
        )
        for code, c in top
    ]

    # New high-skilled talents by month, quarter and year (2026 … the month of ``on``).
    months, running = [], 0
    last_month = min(on, DEADLINE)
    for m in months_between(START, last_month) if on >= START else []:
        end = min(month_end(m), cap)
        running += figures.new_by_month.get(m, 0)
        months.append(
            Period(
                f"{m.year}年{m.month}月",
                m,
                end,
                figures.new_by_month.get(m, 0),
                persons_url(user, **_new_params(m, end), **region_param),
                running,
            )
        )
    quarters = _group_periods(user, months, region_param, cap, kind="quarter")
    years = _group_periods(user, months, region_param, cap, kind="year")
    region_quarters = []
    for line in regions:
        cells = []
        for q in quarters:
            n = sum(figures.new_by_region_month.get((line.key, m), 0) for m in months_between(q.start, q.end))
            cells.append(
                Period(
                    q.label,
                    q.start,
                    q.end,
                    n,
                    persons_url(user, region=line.key, **_new_params(q.start, q.end)),
                )
            )
        region_quarters.append((line, cells))

    provider_region = region or own_region
    indicators = build_indicators(
        figures=figures,
        on=on,
        baseline=_sum_counts(base_rows) if base_rows else None,
        trend=trend,
        city_wide=city_wide,
        provider_region=provider_region,
        officials=officials_entered,
        splits=target_splits(TargetSplit.objects.for_user(user), region=provider_region),
        link=lambda **params: persons_url(user, **region_param, **params),
    )
    carriers, teachers = indicators[2].parts.get("data"), indicators[3].parts.get("data")
    result = Dashboard(
        on=on,
        as_of=as_of,
        pending=bool(state and state.requested_at),
        baseline_at=state.baseline_at if state else None,
        region=region_names.get(region) if region else None,
        regions_choice=[r for r in region_names.values() if r.kind != "city"]
        if user.role != Role.REGION_OPERATOR
        else [],
        figures=figures,
        indicators=indicators,
        regions=regions,
        domains=domains,
        levels=levels,
        employer_kinds=employer_kinds,
        flags=flags,
        occupations=occupations,
        months=months,
        quarters=quarters,
        years=years,
        region_quarters=region_quarters,
        official_year=officials_entered.year,
        carriers=carriers,
        teachers=teachers,
        summary=[],
        charts={},
    )
    result.benefits = benefits_dashboard(region=provider_region, year=on.year)
    result.training = training_dashboard(region=provider_region, year=on.year)
    if with_plan:  # the printable report and its workbook only: the dashboard page does not show it
        result.plan = plan_summary(user=user, on=on)
    result.competitions = competitions_dashboard(region=provider_region, year=on.year)
    result.honours = honours_dashboard(region=provider_region, year=on.year)
    result.summary = summary_lines(result)
    result.charts = chart_data(result)
    return result


def build_indicators(
    *,
    figures: Figures,
    on: datetime.date,
    baseline: Counts | None,
    trend: list[tuple[datetime.date, int, int]],
    city_wide: bool,
    provider_region: str | None,
    officials: Officials | None = None,
    splits: dict[str, int] | None = None,
    link=lambda **params: None,
) -> list[Indicator]:
    """Every indicator of DESIGN.md's table from ``figures`` (aggregates or raw) on ``on``, with
    pace from ``baseline`` (the stock on 2025-12-31), projections, and the other apps' indicators
    from their providers. ``link(**filters)`` makes a drill-down URL. The count goals (50,000, 20,
    2 + 2) are the city's: a county's figure has a goal, and so a pace and status, only where the
    city has split that goal by county (``splits``: target code → the county's goal)."""
    total = figures.total
    cap = new_high_cap(on)
    monthly = dict(figures.new_by_month)
    splits = splits or {}
    new_goal = NEW_HIGH_SKILLED.goal if city_wide else splits.get(NEW_HIGH_SKILLED.code)
    indicators = [
        evaluate(
            NEW_HIGH_SKILLED,
            value=total.new_high,
            on=on,
            baseline=0 if new_goal is not None else None,
            goal=new_goal,
            projection=_round(project_count(value=total.new_high, monthly=monthly, on=on)),
            url=link(**_new_params(START, cap)),
            notes=_split_notes(NEW_HIGH_SKILLED, city_wide=city_wide, goal=new_goal),
        ),
        share_indicator(
            total=total,
            baseline=baseline,
            trend=trend,
            officials=officials or Officials(),
            region=provider_region,
            on=on,
            link=link,
        ),
    ]
    for target in (NEW_CARRIERS, TEACHER_SHARE, DEMONSTRATION_SCHOOLS, WAGE_GROWTH):
        data = provided(target.code, on=on, region=provider_region)
        indicators.append(
            _provided_indicator(
                target,
                data,
                on=on,
                baseline=0 if target is NEW_CARRIERS else None,
                city_wide=city_wide,
                split=splits.get(target.code),
            )
        )
    return indicators


def target_splits(splits, *, region: str | None) -> dict[str, int]:
    """The city's count targets split to ``region`` (target code → goal); none for the city."""
    if not region:
        return {}
    return dict(splits.filter(region=region).values_list("target", "goal"))


def _split_notes(target, *, city_wide: bool, goal: float | None) -> list[str]:
    if city_wide:
        return []
    if goal is None:
        return [f"全市目标{fmt(target, target.goal)}尚未分解到本县区：显示本县区数值，不判断进度。"]
    return [f"按全市分解到本县区的目标{fmt(target, goal)}计算进度。"]


def share_indicator(
    *,
    total: Counts,
    baseline: Counts | None,
    trend: list[tuple[datetime.date, int, int]],
    officials: Officials,
    region: str | None,
    on: datetime.date,
    link,
) -> Indicator:
    """高技能人才占比 as DESIGN.md defines it: the target is a share of all the city's 技能劳动者,
    which the registry does not hold. With an official total entered for the period, the value,
    pace, status and projection are high-skilled ÷ that total; the registry's own share (÷ persons
    holding any valid levelled certificate) is carried in ``parts`` as 库内口径. Without one there
    is no value and the status is 无官方数: the registry's share alone would claim progress it
    cannot know."""
    official_skilled = officials.total(region)
    registry_base = share(baseline.high, baseline.skilled) if baseline else None
    parts = {
        "high": total.high,
        "skilled": total.skilled,
        "skilled_url": link(skilled="true"),
        "registry_share": total.share,
        "registry_baseline": registry_base,
        "official_year": officials.year,
        "official_skilled": official_skilled,
        "official_share": share(total.high, official_skilled) if official_skilled else None,
    }
    if not official_skilled:
        return Indicator(
            target=HIGH_SKILLED_SHARE,
            value=None,
            goal=HIGH_SKILLED_SHARE.goal,
            status=Status.NO_OFFICIAL,
            url=link(is_high_skilled="true"),
            parts=parts,
            notes=["目标是占全市技能劳动者的比例，须录入官方统计数后才判断进度。"],
        )
    value = parts["official_share"]
    base_share = share(baseline.high, officials.base_total(region)) if baseline else None
    series = [(day, high / official_skilled) for day, _skilled, high in trend]
    return evaluate(
        HIGH_SKILLED_SHARE,
        value=value,
        on=on,
        baseline=base_share,
        projection=project_share(value=value, on=on, baseline=base_share, series=series),
        url=link(is_high_skilled="true"),
        parts=parts,
    )


def _round(value: float | None) -> float | None:
    return round(value) if value is not None else None


def _domain_order(code: str, names: dict) -> tuple:
    order = list(names)
    return (order.index(code) if code in order else len(order), code)


def _official_total(by_region: dict, region: str | None) -> int | None:
    """The official 技能劳动者 of what is shown: the region's row; for the city its own row (320700)
    when entered, else the sum of the regions entered."""
    if region:
        return by_region.get(region)
    if CITY in by_region:
        return by_region[CITY]
    parts = [n for code, n in by_region.items() if code != CITY]
    return sum(parts) if parts else None


def _group_periods(user, months: list[Period], region_param: dict, cap, *, kind: str) -> list[Period]:
    groups: dict[str, Period] = {}
    for m in months:
        if kind == "quarter":
            q = (m.start.month - 1) // 3
            label = f"{m.start.year}年第{'一二三四'[q]}季度"
            start = datetime.date(m.start.year, q * 3 + 1, 1)
            end = min(month_end(add_months(start, 2)), cap)
        else:
            label = f"{m.start.year}年"
            start = datetime.date(m.start.year, 1, 1)
            end = min(datetime.date(m.start.year, 12, 31), cap)
        if label not in groups:
            groups[label] = Period(
                label, start, end, 0, persons_url(user, **_new_params(start, end), **region_param)
            )
        groups[label].value += m.value
        groups[label].cumulative = m.cumulative
    return list(groups.values())


def _provided_indicator(
    target, data: dict | None, *, on, baseline=None, city_wide: bool = True, split: int | None = None
) -> Indicator:
    if data is None:
        return Indicator(target=target, value=None, goal=target.goal, available=False)
    value = data.get("value")
    notes = []
    if city_wide or target.is_share:
        goal = data.get("goal", target.goal)
    else:  # a county: the city's count goal only as split to it
        goal = split
        notes = _split_notes(target, city_wide=False, goal=goal)
    baseline = data.get("baseline", baseline) if goal is not None else None
    projection = None
    if target is NEW_CARRIERS and value is not None and city_wide:
        projection = _round(project_from_start(value=value, on=on))
    return evaluate(
        target,
        value=value,
        on=on,
        baseline=baseline,
        goal=goal,
        projection=projection,
        url=data.get("url"),
        parts={
            **{k: v for k, v in data.items() if k not in ("value", "goal", "baseline", "url")},
            "data": data,
        },
        notes=notes,
    )


# --- words and charts ------------------------------------------------------------------------


def fmt(target, value: float | None) -> str:
    if value is None:
        return "—"
    if target.is_share:
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}{target.unit}"


def _gap_words(target, gap: float) -> str:
    if target.is_share:
        return f"{abs(gap) * 100:.1f}个百分点"
    return f"{abs(gap):,.0f}{target.unit}"


def summary_lines(board: Dashboard) -> list[str]:
    """A few sentences for the leaders: each indicator against its pace, then where it is behind."""
    lines = []
    for ind in board.indicators:
        t = ind.target
        if not ind.available:
            lines.append(f"{t.name}：数据待接入。")
            continue
        if ind.status == Status.NO_OFFICIAL:
            lines.append(
                f"{t.name}：未录入技能劳动者官方统计数，无法按目标口径计算，不判断进度"
                f"（库内口径{fmt(t, ind.parts.get('registry_share'))}，仅反映库内持证人员）。"
            )
            continue
        text = f"{t.name}：{fmt(t, ind.value)}"
        if ind.goal is not None:
            text += f"（目标{fmt(t, ind.goal)}）"
        if ind.pace is not None and ind.gap is not None:
            if ind.status == Status.BEHIND:
                text += f"，落后进度{_gap_words(t, ind.gap)}（按进度应达{fmt(t, ind.pace)}）"
            elif ind.status == Status.AHEAD:
                text += f"，超前进度{_gap_words(t, ind.gap)}"
            else:
                text += "，符合进度"
        if ind.projection is not None:
            text += f"；按近期趋势，2030年末预计达到{fmt(t, ind.projection)}"
            if ind.goal is not None:
                text += "，可以完成目标" if ind.projection >= ind.goal else "，难以完成目标"
        if t is HIGH_SKILLED_SHARE:
            text += f"（按{ind.parts['official_year']}年技能劳动者官方统计数计算；"
            text += f"库内口径{fmt(t, ind.parts.get('registry_share'))}）"
        lines.append(text + "。")
    behind = [r for r in board.regions if r.share_status == Status.BEHIND]
    if behind:
        parts = [
            f"{r.label}（{fmt(HIGH_SKILLED_SHARE, r.official_share)}，"
            f"低于进度{_gap_words(HIGH_SKILLED_SHARE, r.share_gap)}）"
            for r in sorted(behind, key=lambda r: r.share_gap)
        ]
        lines.append("高技能人才占比（官方口径）落后于进度的县区和功能板块：" + "、".join(parts) + "。")
    elif len(board.regions) > 1 and any(r.share_pace is not None for r in board.regions):
        lines.append("已录入官方统计数的县区和功能板块，高技能人才占比均不低于进度。")
    if len(board.regions) > 1:
        ranked = sorted(board.regions, key=lambda r: -r.counts.new_high)
        if ranked and ranked[0].counts.new_high:
            top = "、".join(f"{r.label}{r.counts.new_high:,}人" for r in ranked[:3] if r.counts.new_high)
            low = [r for r in ranked if r.counts.skilled][-3:]
            lines.append(
                f"新增高技能人才最多的是{top}；最少的是"
                + "、".join(f"{r.label}{r.counts.new_high:,}人" for r in reversed(low))
                + "。"
            )
    return lines


def chart_data(board: Dashboard) -> dict:
    """The data of every chart, passed to the page with json_script (no inline script: CSP)."""
    new_high = board.indicator(NEW_HIGH_SKILLED.code)
    months = months_between(START, DEADLINE)
    actual = {p.start: p.cumulative for p in board.months}
    urls = {p.start: p.url for p in board.months}
    cumulative = {
        "labels": [f"{m.year}-{m.month:02d}" for m in months],
        "actual": [actual.get(m) for m in months],
        "urls": [urls.get(m) for m in months],
        "pace": [round(pace(baseline=0, goal=new_high.goal, on=month_end(m))) for m in months]
        if new_high.goal
        else [],
        "projection": [],
        "goal": new_high.goal,
    }
    if new_high.projection is not None and board.months:
        last = board.months[-1]
        cumulative["projection"] = [
            [f"{last.start.year}-{last.start.month:02d}", new_high.value],
            ["2030-12", new_high.projection],
        ]
    return {
        "cumulative": cumulative,
        "regions": {
            "labels": [r.label for r in board.regions],
            "new_high": [r.counts.new_high for r in board.regions],
            **_region_share_chart(board.regions),
            "urls": [r.urls["new_high"] for r in board.regions],
        },
        "levels": {
            "labels": [r.label for r in board.levels],
            "values": [r.counts.skilled for r in board.levels],
            "urls": [r.urls["skilled"] for r in board.levels],
        },
        "domains": {
            "items": [
                {"name": r.label, "value": r.counts.skilled, "high": r.counts.high, "url": r.urls["skilled"]}
                for r in board.domains
            ]
        },
        "carriers": _provider_chart(board.carriers, ("by_type", "by_level")),
        "teachers": _provider_chart(board.teachers, ("by_school",), goal=TEACHER_SHARE.goal),
        "benefits": board.benefits or {"by_policy": []},
        "competitions": board.competitions or {"by_tier": []},
        "honours": board.honours or {"rounds": []},
        "training": board.training or {"by_domain": [], "by_kind": []},
        "benefit_years": board.benefits or {"by_year": []},
    }


def _region_share_chart(regions: list[Row]) -> dict:
    """The regions' share line: against official totals with the goal line when any region has
    one; otherwise the registry's own share, named 库内口径 and drawn without the goal (the goal
    is a share of all skilled workers, which the registry does not hold)."""
    if any(r.official for r in regions):
        values, name, goal = (
            [r.official_share for r in regions],
            "高技能人才占比（官方口径）",
            HIGH_SKILLED_SHARE.goal,
        )
    else:
        values, name, goal = [r.share for r in regions], "高技能人才占比（库内口径）", None
    return {
        "share": [round(v * 100, 2) if v is not None else None for v in values],
        "share_name": name,
        "goal": goal * 100 if goal is not None else None,
    }


def _provider_chart(data: dict | None, keys: tuple[str, ...], goal: float | None = None) -> dict | None:
    if data is None:
        return None
    chart = {key: list(data.get(key) or []) for key in keys}
    if goal is not None:
        chart["goal"] = goal * 100
    return chart
