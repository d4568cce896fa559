"""The rules of enterprises' wage reports (措施七), as plain functions shared by the form and the
``wage_reports`` import so that a rule is written once: the plausibility checks that refuse a
report, the legal minimum it is checked against, and the growth arithmetic."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from gongjiang.core.converters import Lookup

# The groups of a report: (count field, average wage field, label).
GROUPS = (
    ("staff_count", "staff_avg_wage", "职工"),
    ("skilled_count", "skilled_avg_wage", "技能人才"),
    ("high_skilled_count", "high_skilled_avg_wage", "高技能人才"),
    ("principal_count", "principal_avg_wage", "特级技师、首席技师"),
    ("senior_title_count", "senior_title_avg_wage", "正高级职称人员"),
)
# (part, whole): a group that is part of another cannot have more people than it.
NESTED = (
    ("skilled_count", "staff_count", "技能人才人数不能多于职工人数"),
    ("high_skilled_count", "skilled_count", "高技能人才人数不能多于技能人才人数"),
    ("principal_count", "high_skilled_count", "特级技师、首席技师人数不能多于高技能人才人数"),
    ("senior_title_count", "staff_count", "正高级职称人员人数不能多于职工人数"),
)
EARLIEST_YEAR = 2015
MAX_WAGE = 10_000_000  # 元 a year per person: beyond it a typing slip (an extra digit) is likelier


def count(value: object) -> int | None:
    """A headcount: a whole number ≥ 0 (a spreadsheet's 12.0 is 12); blank is None."""
    return _whole(value, what="人数")


def wage(value: object) -> int | None:
    """An average annual wage in 元 per person, rounded to the 元; blank is None."""
    return _whole(value, what="人均年工资", round_to_yuan=True)


def _whole(value: object, *, what: str, round_to_yuan: bool = False) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError("%(what)s应为数字", params={"what": what})
    try:
        number = Decimal(str(value).strip().replace(",", "").replace("，", "").removesuffix("元"))
    except InvalidOperation:
        raise ValidationError("%(what)s应为数字", params={"what": what}) from None
    if not number.is_finite():
        raise ValidationError("%(what)s应为数字", params={"what": what})
    if number < 0:
        raise ValidationError("%(what)s不能为负数", params={"what": what})
    if round_to_yuan:
        number = number.quantize(Decimal(1))
    elif number != number.to_integral_value():
        raise ValidationError("%(what)s应为整数", params={"what": what})
    return int(number)


def year(value: object, *, today: datetime.date) -> int | None:
    """The report's year: 2015 … this year."""
    if value is None or str(value).strip() == "":
        return None
    text = Lookup.norm(value).removesuffix("年度").removesuffix("年")
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        raise ValidationError("年度应为四位年份，如 %(y)s", params={"y": today.year})
    number = int(text)
    if not EARLIEST_YEAR <= number <= today.year:
        raise ValidationError("年度应在 %(a)s 至 %(b)s 之间", params={"a": EARLIEST_YEAR, "b": today.year})
    return number


def annual_minimum(rows: Iterable[tuple[datetime.date, int]], year: int) -> int | None:
    """12 × the lowest monthly minimum wage in force on 1 January of ``year`` (``rows``: every
    (effective_from, monthly) of MinimumWage). The lowest category, because an average below it is
    below the minimum of every area of Jiangsu: it cannot be right anywhere. None when no
    standard was in force then (nothing to check against)."""
    start = datetime.date(year, 1, 1)
    in_force = [(day, monthly) for day, monthly in rows if day <= start]
    if not in_force:
        return None
    latest = max(day for day, _m in in_force)
    return 12 * min(monthly for day, monthly in in_force if day == latest)


@dataclass(frozen=True)
class Problem:
    field: str
    value: object
    message: str


def report_problems(values: dict, *, minimum: int | None) -> list[Problem]:
    """What makes a report implausible, each tied to the field (and value) to correct:
    a group with people but no average wage (or an average with no one), an average below the
    annual legal minimum or absurdly high, and a part of the staff larger than the whole it
    belongs to. Counts and wages have already been parsed (negative numbers refused there)."""
    problems: list[Problem] = []
    for count_field, wage_field, label in GROUPS:
        n, avg = values.get(count_field) or 0, values.get(wage_field)
        if n > 0 and avg is None:
            problems.append(Problem(wage_field, avg, "已填%s人数，须填写其人均年工资" % label))
        elif n == 0 and avg:
            problems.append(Problem(wage_field, avg, "%s人数为 0，不应填写人均年工资" % label))
        elif n > 0 and minimum is not None and avg < minimum:
            problems.append(
                Problem(
                    wage_field,
                    avg,
                    "%s人均年工资 %s 元低于江苏省最低工资标准折合的年工资 %s 元（月标准 × 12），请核对"
                    % (label, f"{avg:,}", f"{minimum:,}"),
                )
            )
        elif n > 0 and avg > MAX_WAGE:
            problems.append(Problem(wage_field, avg, "%s人均年工资超过 1000 万元，请核对单位（元）" % label))
    for part, whole, message in NESTED:
        if (values.get(part) or 0) > (values.get(whole) or 0):
            problems.append(Problem(part, values.get(part), message))
    return problems


def growth(current: int | None, previous: int | None) -> float | None:
    """current ÷ previous − 1, or None when either is missing or the previous is 0."""
    if not current or not previous:
        return None
    return current / previous - 1


def complies(*, skilled: int, skilled_prev: int, staff: int, staff_prev: int) -> bool:
    """Skilled workers' per-capita wage growth ≥ all staff's (不低于), compared exactly in whole
    元: skilled/skilled_prev ≥ staff/staff_prev ⇔ skilled × staff_prev ≥ staff × skilled_prev."""
    return skilled * staff_prev >= staff * skilled_prev


def load_minimum_wages(apps) -> None:
    """Create or update the MinimumWage rows from ``core/refdata/minimum_wages.csv`` (idempotent;
    ``apps`` is a migration state's registry or ``django.apps.apps``)."""
    from gongjiang.core.refdata import read_rows

    MinimumWage = apps.get_model("orgs", "MinimumWage")
    for row in read_rows("minimum_wages.csv"):
        MinimumWage.objects.update_or_create(
            effective_from=datetime.date.fromisoformat(row["effective_from"]),
            category=row["category"],
            defaults={"monthly": int(row["monthly"]), "source": row["source"]},
        )
