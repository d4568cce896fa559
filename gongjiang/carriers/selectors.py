"""Reads of training carriers: scoped lists and details, the public catalogue, the count toward
the target of 20, the per-type rules, and what is waiting for whom (待办/逾期)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.core import policy
from gongjiang.core.models import Region
from gongjiang.workflow.selectors import TodoItem, todo_for

from .choices import CarrierStatus
from .models import Carrier, CarrierAssessment, CarrierRule, ExpertScore

# 新建市级以上培养载体: first recognised at 市级 or above within the 十五五 period (core.policy).
TARGET_START = policy.PERIOD_START
TARGET_END = policy.PERIOD_END
TARGET_GOAL = policy.NEW_CARRIERS_GOAL

_LIST_RELATED = ("carrier_type", "host", "leader", "region", "domain")


def rule_for(carrier_type_id: str) -> CarrierRule:
    """The rules of a carrier type; a type without its own row follows the field defaults."""
    rule = (
        CarrierRule.objects.select_related("min_leader_level").filter(carrier_type_id=carrier_type_id).first()
    )
    return rule or CarrierRule(carrier_type_id=carrier_type_id)


def carrier_rules() -> list[CarrierRule]:
    """Every carrier type with its rules (defaults for a type without a row), in display order."""
    from gongjiang.core.models import CarrierType

    rules = {r.carrier_type_id: r for r in CarrierRule.objects.select_related("min_leader_level")}
    result = []
    for carrier_type in CarrierType.objects.all():
        rule = rules.get(carrier_type.code) or CarrierRule(carrier_type=carrier_type)
        rule.carrier_type = carrier_type
        result.append(rule)
    return result


def carrier_list(*, user: User, action: str = "view") -> QuerySet[Carrier]:
    """The carriers ``user`` may ``action``, with what the list shows joined in."""
    return Carrier.objects.for_user(user, action).select_related(*_LIST_RELATED)


def carrier_detail(*, user: User, pk: int) -> Carrier:
    """One carrier in scope with its history, scores and assessments; 404 outside scope."""
    queryset = Carrier.objects.select_related(
        *_LIST_RELATED, "declared_by", "leader__highest_level"
    ).prefetch_related(
        Prefetch("scores", queryset=ExpertScore.objects.order_by("round", "id")),
        Prefetch("assessments", queryset=CarrierAssessment.objects.order_by("-year")),
    )
    return get_scoped_or_404(queryset, user, "view", pk=pk)


def carrier_catalogue() -> QuerySet[Carrier]:
    """Recognised carriers as the public catalogue shows them. Public by policy (no login), so not
    narrowed by any user's scope; only recognised rows, and the page shows no personal numbers."""
    return Carrier.objects.filter(status=CarrierStatus.RECOGNISED).select_related(*_LIST_RELATED)


def _region_code(region) -> str | None:
    if region is None:
        return None
    code = region.pk if isinstance(region, Region) else str(region)
    if Region.objects.filter(pk=code, parent__isnull=True).exists():
        return None  # the city itself: every region
    return code


def carriers_toward_target(*, on: datetime.date | None = None, region=None) -> QuerySet[Carrier]:
    """Carriers that count toward 新建市级以上培养载体 on date ``on`` (default today): of a type with
    ``counts_toward_target``, first recognised at 市级 or above (``city_level_since``) between
    2026-01-01 and ``on`` (at most 2030-12-31), and not revoked by ``on``. An upgrade keeps the
    first date, so an upgraded carrier is one row and counts once. ``region``: a Region or its
    code; the city (or None) means all. Public figures, so not narrowed by a user's scope."""
    on = on or timezone.localdate()
    queryset = Carrier.objects.filter(
        carrier_type__counts_toward_target=True,
        city_level_since__gte=TARGET_START,
        city_level_since__lte=min(on, TARGET_END),
    ).exclude(revoked_on__lte=on)
    code = _region_code(region)
    if code is not None:
        queryset = queryset.filter(region_id=code)
    return queryset


def carriers_toward_target_count(*, on: datetime.date | None = None, region=None) -> int:
    return carriers_toward_target(on=on, region=region).count()


def carriers_in_assessment(*, carrier_type_id: str, year: int) -> QuerySet[Carrier]:
    """The carriers of a type that the annual assessment of ``year`` covers: recognised by the end
    of that year and not revoked before it began (the base of the 优秀 share)."""
    return Carrier.objects.filter(
        carrier_type_id=carrier_type_id,
        first_recognised_on__lte=datetime.date(year, 12, 31),
        status__in=(CarrierStatus.RECOGNISED, CarrierStatus.REVOKED),
    ).exclude(revoked_on__lt=datetime.date(year, 1, 1))


def carrier_todo(*, user: User, today: datetime.date | None = None) -> list[TodoItem]:
    """What waits for ``user`` to act on carriers (待办), soonest deadline first: the declared
    waiting steps (through the one workflow to-do list) and last year's annual assessments."""
    return todo_for(user=user, today=today, workflow_key="carrier")


def carrier_assessment_todo(*, user: User, today: datetime.date) -> list[TodoItem]:
    """Last year's annual assessments not yet recorded, due the type's number of days into the
    new year (the carrier workflow's extra to-do)."""
    from .workflows import CARRIER_WORKFLOW

    if not user.has_perm("carriers.assess_carrier"):
        return []
    year = today.year - 1
    due = {r.carrier_type_id: r for r in carrier_rules()}
    pending = (
        carrier_list(user=user, action="assess")
        .filter(status=CarrierStatus.RECOGNISED, first_recognised_on__lte=datetime.date(year, 12, 31))
        .exclude(assessments__year=year)
    )
    items = []
    for carrier in pending:
        days = due[carrier.carrier_type_id].assessment_days
        deadline = datetime.date(year + 1, 1, 1) + datetime.timedelta(days=days - 1)
        items.append(TodoItem(CARRIER_WORKFLOW, carrier, "%d年度考核" % year, deadline, today))
    return items


def carriers_target_indicator(*, on: datetime.date, region: str | None) -> dict:
    """新建市级以上培养载体 for the dashboard (stats.providers): the count toward the 20 with its
    drill-down (the carrier list filtered to the counted ones) and its breakdowns by type and level."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from .choices import CarrierLevel

    counted = carriers_toward_target(on=on, region=region)
    base = {"toward_target": "true", **({"region": region} if region else {})}

    def url(**extra) -> str:
        return reverse("carriers:carrier_list") + "?" + urlencode({**base, **extra})

    by_type = counted.values("carrier_type", "carrier_type__name").annotate(n=Count("pk")).order_by("-n")
    by_level = dict(counted.values_list("level").annotate(n=Count("pk")).order_by())
    return {
        "value": counted.count(),
        "goal": TARGET_GOAL,
        "baseline": 0,
        "url": url(),
        "by_type": [
            {
                "label": row["carrier_type__name"],
                "value": row["n"],
                "url": url(carrier_type=row["carrier_type"]),
            }
            for row in by_type
        ],
        "by_level": [
            {"label": label, "value": by_level[value], "url": url(level=value)}
            for value, label in CarrierLevel.choices
            if by_level.get(value)
        ],
    }
