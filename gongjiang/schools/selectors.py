"""Reads of the schools app: scoped lists for the pages, and the indicator figures of measure 二
for the dashboard (teachers at 高级工 or above against 90%, the 2 + 2 demonstration schools, 双证率).

The indicator selectors take an optional ``user``: with it, only the rows that user may see are
counted (a page); without it, the whole city (the dashboard and ``manage.py indicators``, which
show aggregates, never rows)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import SYSTEM
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.core.models import Region
from gongjiang.orgs.models import Organisation
from gongjiang.orgs.selectors import organisation_list
from gongjiang.talents.counting import high_skilled_exists

from .choices import (
    DEMONSTRATION_COUNTED,
    DEMONSTRATION_GOAL,
    SCHOOL_KINDS,
    TEACHER_GOAL_PERCENT,
    DemonstrationStatus,
)
from .models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher

# ---------------------------------------------------------------------------------------------
# The counting rule for teachers


def teaching_on_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Teachers in post on ``on`` (default today): not yet left."""
    on = on or datetime.date.today()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})


def region_q(region: Region | str | None, path: str) -> Q:
    """Rows of ``region`` (a county, a zone, or the city root, whose children are every county)."""
    if region is None:
        return Q()
    code = getattr(region, "pk", region)
    return Q(**{path: code}) | Q(**{f"{path}__parent": code})


def _teachers(user: User, action: str = "view") -> QuerySet[Teacher]:
    return Teacher.objects.for_user(user, action)


def _share(high: int, total: int) -> dict[str, Any]:
    """The share dict every teacher-share selector returns; ``met`` compares in integers, so
    exactly 90% meets the goal."""
    return {
        "value": round(high / total, 4) if total else None,
        "high": high,
        "total": total,
        "below": total - high,
        "goal": TEACHER_GOAL_PERCENT / 100,
        "met": bool(total) and high * 100 >= total * TEACHER_GOAL_PERCENT,
    }


def teacher_share(
    *,
    school: Organisation | int | None = None,
    region: Region | str | None = None,
    on: datetime.date | None = None,
    user: User,
    category: str | None = None,
) -> dict[str, Any]:
    """专业课教师高级证书比例: teachers in post holding 高级工 or above ÷ teachers in post, for a
    school, a region or the city (optionally one teacher category). A person teaching at two
    schools is counted once (dict keys: value, high, total, below, goal, met)."""
    queryset = _teachers(user).filter(teaching_on_q(on)).filter(region_q(region, "school__region"))
    if school is not None:
        queryset = queryset.filter(school=school)
    if category is not None:
        queryset = queryset.filter(category=category)
    figures = queryset.annotate(is_high=high_skilled_exists(on)).aggregate(
        total=Count("person", distinct=True),
        high=Count("person", distinct=True, filter=Q(is_high=True)),
    )
    return _share(figures["high"], figures["total"])


def _school_count(on: datetime.date | None, *, high: bool) -> Coalesce:
    teachers = Teacher.objects.filter(teaching_on_q(on), school=OuterRef("pk"))
    if high:
        teachers = teachers.filter(high_skilled_exists(on))
    counted = teachers.order_by().values("school").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def school_list(*, user: User, on: datetime.date | None = None) -> QuerySet[Organisation]:
    """The schools ``user`` may see, each with its teachers in post and those at 高级工 or above
    (``teacher_total``, ``teacher_high``) and its demonstration status. Teachers are counted per
    school here, so a school's row and its own ``teacher_share`` agree."""
    return (
        organisation_list(user=user)
        .filter(kind__in=SCHOOL_KINDS)
        .select_related("demonstration")
        .annotate(
            teacher_total=_school_count(on, high=False),
            teacher_high=_school_count(on, high=True),
        )
        .order_by("region__sort_order", "name")
    )


def school_share_rows(
    *, region: Region | str | None = None, on: datetime.date | None = None, user: User
) -> list[dict[str, Any]]:
    """One row per school for the dashboard: id, name, kind, region and its teacher share."""
    schools = Organisation.objects.for_user(user).filter(kind__in=SCHOOL_KINDS)
    schools = schools.filter(region_q(region, "region")).annotate(
        teacher_total=_school_count(on, high=False),
        teacher_high=_school_count(on, high=True),
    )
    return [
        {
            "school_id": s.pk,
            "name": s.name,
            "kind": s.kind,
            "region": s.region_id,
            **_share(s.teacher_high, s.teacher_total),
        }
        for s in schools.order_by("name")
    ]


def teacher_list(*, user: User, action: str = "view", on: datetime.date | None = None) -> QuerySet[Teacher]:
    """The teachers ``user`` may ``action``, each marked ``is_high`` (高级工 or above on ``on``,
    default today), with what the list shows joined in."""
    return (
        Teacher.objects.for_user(user, action)
        .select_related("school", "school__region", "person", "person__highest_level")
        .annotate(is_high=high_skilled_exists(on))
    )


def teacher_profile(*, user: User, pk: int) -> Teacher:
    """One teacher in scope, marked ``is_high``; 404 (audited) outside the user's scope."""
    queryset = Teacher.objects.select_related("school", "person", "person__highest_level").annotate(
        is_high=high_skilled_exists()
    )
    return get_scoped_or_404(queryset, user, "view", pk=pk)


def teachers_below_high(
    *, school: Organisation | int, user: User, on: datetime.date | None = None
) -> QuerySet[Teacher]:
    """Drill-down: the teachers in post at ``school`` without a valid 高级工-or-above certificate."""
    queryset = teacher_list(user=user, on=on)
    return (
        queryset.filter(school=school)
        .filter(teaching_on_q(on))
        .filter(~high_skilled_exists(on))
        .select_related("person", "person__highest_level")
    )


# ---------------------------------------------------------------------------------------------
# Demonstration schools and milestones


def milestone_overdue_q(on: datetime.date | None = None, prefix: str = "") -> Q:
    """Milestones not done whose due date has passed."""
    on = on or datetime.date.today()
    return Q(**{f"{prefix}done_on__isnull": True, f"{prefix}due_on__lt": on})


def demonstration_list(*, user: User, action: str = "view") -> QuerySet[DemonstrationSchool]:
    """Demonstration schools in scope with their milestone counts (total, done, overdue)."""
    return (
        DemonstrationSchool.objects.for_user(user, action)
        .select_related("school", "school__region")
        .annotate(
            milestones_total=Count("milestones"),
            milestones_done=Count("milestones", filter=Q(milestones__done_on__isnull=False)),
            milestones_overdue=Count("milestones", filter=milestone_overdue_q(prefix="milestones__")),
        )
    )


def demonstration_progress(*, user: User, region: Region | str | None = None) -> dict[str, dict[str, Any]]:
    """The 2 + 2 goal: per school kind, schools supported (扶持建设中 or 已建成), built, and goal
    (the city's; of one region when ``region`` is given, for its figures only)."""
    queryset = DemonstrationSchool.objects.for_user(user).filter(region_q(region, "school__region"))
    counts = {
        (row["school__kind"], row["status"]): row["n"]
        for row in queryset.values("school__kind", "status").annotate(n=Count("pk")).order_by()
    }
    result = {}
    for kind, goal in DEMONSTRATION_GOAL.items():
        supported = sum(counts.get((kind, status), 0) for status in DEMONSTRATION_COUNTED)
        result[kind.value] = {
            "label": kind.label,
            "supported": supported,
            "accepted": counts.get((kind, DemonstrationStatus.ACCEPTED), 0),
            "goal": goal,
            "met": supported >= goal,
        }
    return result


def milestone_list(*, user: User, action: str = "view") -> QuerySet[Milestone]:
    return Milestone.objects.for_user(user, action).select_related(
        "demonstration", "demonstration__school", "demonstration__school__region"
    )


# ---------------------------------------------------------------------------------------------
# Enterprise practice, social training, graduates


def practice_list(*, user: User, action: str = "view") -> QuerySet[EnterprisePractice]:
    return EnterprisePractice.objects.for_user(user, action).select_related(
        "teacher", "teacher__person", "teacher__school", "teacher__school__region"
    )


def practice_days_by_year(*, teacher: Teacher) -> list[dict[str, int]]:
    """A teacher's enterprise practice: [{year, days, records}], latest year first."""
    rows: dict[int, dict[str, int]] = {}
    for practice in teacher.practices.order_by("start_on"):
        row = rows.setdefault(practice.year, {"year": practice.year, "days": 0, "records": 0})
        row["days"] += practice.days
        row["records"] += 1
    return sorted(rows.values(), key=lambda r: -r["year"])


def practice_summary(*, school: Organisation | int | None = None, user: User) -> list[dict[str, int]]:
    """Enterprise practice per year (latest first): records, teachers who practised, total days."""
    queryset = EnterprisePractice.objects.for_user(user)
    if school is not None:
        queryset = queryset.filter(teacher__school=school)
    return list(
        queryset.annotate(year=ExtractYear("start_on"))
        .values("year")
        .annotate(records=Count("pk"), teachers=Count("teacher", distinct=True), days=Sum("days"))
        .order_by("-year")
    )


def schoolyear_list(*, user: User, action: str = "view") -> QuerySet[SchoolYear]:
    return SchoolYear.objects.for_user(user, action).select_related("school", "school__region")


def dual_certificate_rate(
    *,
    school: Organisation | int | None = None,
    region: Region | str | None = None,
    year: int | None = None,
    user: User,
) -> dict[str, Any]:
    """双证率 = graduates who also obtained a skill certificate ÷ graduates, summed over the schools
    (so a large school weighs more than a small one; never an average of the schools' rates)."""
    queryset = SchoolYear.objects.for_user(user)
    queryset = queryset.filter(region_q(region, "school__region"))
    if school is not None:
        queryset = queryset.filter(school=school)
    if year is not None:
        queryset = queryset.filter(year=year)
    sums = queryset.aggregate(graduates=Sum("graduates"), certified=Sum("graduates_certified"))
    graduates, certified = sums["graduates"] or 0, sums["certified"] or 0
    return {
        "value": round(certified / graduates, 4) if graduates else None,
        "certified": certified,
        "graduates": graduates,
    }


# ---------------------------------------------------------------------------------------------
# Providers for the dashboard (stats.providers): (*, on, region) → dict


def teacher_share_indicator(*, on: datetime.date, region: str | None) -> dict[str, Any]:
    """专业课教师高级证书比例 with each school's share and the drill-down to its teachers below
    高级工 (the teacher list filtered to the school, in post, not at 高级工 or above)."""
    from django.urls import reverse

    teachers = reverse("schools:teacher_list")
    share = teacher_share(region=region, on=on, user=SYSTEM)
    rows = school_share_rows(region=region, on=on, user=SYSTEM)

    def school_url(row, high: str | None = None) -> str:
        return teachers + "?school=%d&in_post=true" % row["school_id"] + (f"&high={high}" if high else "")

    return {
        **share,
        "parts": {"high": share["high"], "total": share["total"]},
        "url": teachers + "?in_post=true" + (f"&region={region}" if region else ""),
        "by_school": [
            {
                "label": row["name"],
                "value": row["value"],
                "high": row["high"],
                "total": row["total"],
                "below": row["below"],
                # Each count links to exactly the teachers it counts; the chart's bar (``url``)
                # opens those still below 高级工, the ones the school has to act on.
                "high_url": school_url(row, "true"),
                "total_url": school_url(row),
                "url": school_url(row, "false"),
            }
            for row in rows
            if row["total"]
        ],
    }


def demonstration_indicator(*, on: datetime.date, region: str | None) -> dict[str, Any]:
    """示范性学校 (2 + 2): schools supported or built, against the goal per school kind."""
    from django.urls import reverse

    progress = demonstration_progress(region=region, user=SYSTEM)
    # The links list exactly the schools counted: 扶持建设中 and 已建成, not 拟扶持 or 终止扶持.
    base = {"counted": "true", **({"region": region} if region else {})}

    def url(**extra) -> str:
        return reverse("schools:demonstration_list") + "?" + urlencode({**base, **extra})

    return {
        "value": sum(p["supported"] for p in progress.values()),
        "goal": sum(p["goal"] for p in progress.values()),
        "url": url(),
        "by_type": [
            {"label": p["label"], "value": p["supported"], "url": url(kind=kind)}
            for kind, p in progress.items()
        ],
    }
