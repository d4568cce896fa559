"""Reads of competitions: scoped lists, an event with its results, the dashboard's figures."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import SYSTEM, scope

from .choices import Award, ResultStatus, Tier
from .models import AwardRule, Competition, Event, Result


def competition_list(*, user: User) -> QuerySet[Competition]:
    return Competition.objects.for_user(user).annotate(event_count=Count("events"))


def event_list(*, user: User, competition: Competition) -> QuerySet[Event]:
    return (
        Event.objects.for_user(user)
        .filter(competition=competition)
        .select_related("occupation", "level")
        .annotate(
            result_count=Count("results"),
            published_count=Count("results", filter=Q(results__status=ResultStatus.PUBLISHED)),
        )
    )


def result_list(*, user: User) -> QuerySet[Result]:
    return Result.objects.for_user(user).select_related("person", "event__competition", "certificate")


def award_rule_list(*, user: User) -> QuerySet[AwardRule]:
    return AwardRule.objects.for_user(user).select_related("promotion_level")


def person_results(*, user: User, person) -> QuerySet[Result]:
    """A person's published and withdrawn results, as ``user`` may see them."""
    return (
        result_list(user=user)
        .filter(person=person)
        .exclude(status=ResultStatus.RECORDED)
        .order_by("-event__competition__held_on")
    )


def competitions_dashboard(*, region: str | None, year: int) -> dict:
    """For the targets dashboard: ``year``'s published results by tier (awards, promotions, prize
    money), city-wide or for one county's people (read as the platform itself, SYSTEM)."""
    results = scope(Result.objects.all(), SYSTEM).filter(
        status=ResultStatus.PUBLISHED, published_at__year=year
    )
    if region:
        results = results.filter(Q(person__region_id=region) | Q(person__region__parent_id=region))
    labels = dict(Tier.choices)
    rows = (
        results.values("event__competition__tier")
        .annotate(
            n=Count("pk"),
            awarded=Count("pk", filter=~Q(award=Award.NONE)),
            promoted=Count("certificate"),
            prize=Sum("prize"),
        )
        .order_by("event__competition__tier")
    )
    order = list(labels)
    by_tier = sorted(
        (
            {
                "label": labels.get(r["event__competition__tier"], r["event__competition__tier"]),
                "results": r["n"],
                "awarded": r["awarded"],
                "promoted": r["promoted"],
                "prize": float(r["prize"] or 0),
                "_order": order.index(r["event__competition__tier"])
                if r["event__competition__tier"] in order
                else 99,
            }
            for r in rows
        ),
        key=lambda r: r["_order"],
    )
    return {
        "year": year,
        "by_tier": by_tier,
        "promoted": sum(r["promoted"] for r in by_tier),
        "awarded": sum(r["awarded"] for r in by_tier),
    }
