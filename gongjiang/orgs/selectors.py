"""Reads of organisations and their wage reports, through the scope rule."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import SYSTEM

from .models import MinimumWage, Organisation, WageReport, WageSample
from .wages import annual_minimum


def organisation_list(*, user: User, action: str = "view") -> QuerySet[Organisation]:
    return Organisation.objects.for_user(user, action).select_related("region", "domain")


# --- wage reports (措施七) ------------------------------------------------------------------------


def minimum_annual_wage(year: int) -> int | None:
    """The legal floor a report of ``year`` is checked against (see ``wages.annual_minimum``)."""
    return annual_minimum(MinimumWage.objects.values_list("effective_from", "monthly"), year)


def minimum_wage_table() -> list[tuple[datetime.date, int]]:
    """Every (effective_from, monthly) row, read once for an import's whole file."""
    return list(MinimumWage.objects.values_list("effective_from", "monthly"))


# A report is judged when the enterprise also reported the year before and both years have
# skilled workers and staff: growth needs two averages of each group.
JUDGED_Q = Q(
    prev_skilled_avg__isnull=False,
    prev_staff_avg__isnull=False,
    skilled_avg_wage__isnull=False,
    staff_avg_wage__isnull=False,
    skilled_count__gt=0,
    staff_count__gt=0,
    prev_skilled_count__gt=0,
    prev_staff_count__gt=0,
)
# Skilled growth ≥ staff growth, exactly, in whole 元 (wages.complies): cross-multiplied.
COMPLIES_Q = Q(skilled_x_staff_prev__gte=F("staff_x_skilled_prev"))


def with_growth(reports: QuerySet[WageReport]) -> QuerySet[WageReport]:
    """``reports`` annotated with the previous year's report of the same enterprise (its averages
    and headcounts), ``judged`` (there is something to compare) and ``complies`` (judged and the
    skilled workers' per-capita growth is not below the staff's; None when not judged)."""
    prev = WageReport.objects.filter(organisation=OuterRef("organisation"), year=OuterRef("year") - 1)
    return reports.annotate(
        prev_staff_count=Subquery(prev.values("staff_count")[:1]),
        prev_staff_avg=Subquery(prev.values("staff_avg_wage")[:1]),
        prev_skilled_count=Subquery(prev.values("skilled_count")[:1]),
        prev_skilled_avg=Subquery(prev.values("skilled_avg_wage")[:1]),
    ).annotate(
        # In 64 bits: two wages of 10^5 元 multiply past PostgreSQL's 32-bit integer.
        skilled_x_staff_prev=Cast("skilled_avg_wage", BigIntegerField()) * F("prev_staff_avg"),
        staff_x_skilled_prev=Cast("staff_avg_wage", BigIntegerField()) * F("prev_skilled_avg"),
        judged=Case(When(JUDGED_Q, then=True), default=False, output_field=BooleanField()),
        complies=Case(
            When(JUDGED_Q & COMPLIES_Q, then=True),
            When(JUDGED_Q, then=False),
            default=None,
            output_field=BooleanField(null=True),
        ),
    )


def wage_report_list(*, user, action: str = "view") -> QuerySet[WageReport]:
    """The user's wage reports with growth and compliance (see ``with_growth``)."""
    return with_growth(WageReport.objects.for_user(user, action)).select_related(
        "organisation", "organisation__region"
    )


def wage_report_years(*, user) -> list[int]:
    """The years the user's reports cover, newest first."""
    return list(WageReport.objects.for_user(user).order_by("-year").values_list("year", flat=True).distinct())


def wage_latest_judged_year(*, user, on: datetime.date, region: str | None = None) -> int | None:
    """The newest year up to ``on``'s with at least one judged report: the year the dashboard shows
    (wages of a year are reported after it ends, so the current year may have none yet)."""
    reports = with_growth(WageReport.objects.for_user(user).filter(year__lte=on.year))
    if region:
        reports = reports.filter(organisation__region=region)
    return reports.filter(judged=True).order_by("-year").values_list("year", flat=True).first()


def wage_compliance(*, user, year: int, region: str | None = None) -> dict:
    """For ``year``: reports, judged, complying and short, overall and for state-owned and other
    enterprises separately (国有企业 are to set the example, so they are compared on their own)."""
    reports = with_growth(WageReport.objects.for_user(user).filter(year=year))
    if region:
        reports = reports.filter(organisation__region=region)
    groups = {True: _group(), False: _group()}
    regions: dict[str, dict] = {}
    # One row per enterprise reporting in the year: a few thousand at most, counted here.
    for state_owned, region, region_name, judged, complies, annuity in reports.values_list(
        "organisation__is_state_owned",
        "organisation__region",
        "organisation__region__name",
        "judged",
        "complies",
        "has_annuity",
    ).order_by("organisation__region__sort_order"):
        for group in (
            groups[bool(state_owned)],
            regions.setdefault(region, {**_group(), "name": region_name}),
        ):
            group["reported"] += 1
            group["judged"] += bool(judged)
            group["complying"] += complies is True
            group["annuity"] += bool(annuity)
    total = _group()
    for key in total:
        total[key] = groups[True][key] + groups[False][key]
    for group in (total, *groups.values(), *regions.values()):
        group["short"] = group["judged"] - group["complying"]
        group["not_judged"] = group["reported"] - group["judged"]
        group["share"] = round(group["complying"] / group["judged"], 4) if group["judged"] else None
    return {
        "year": year,
        "total": total,
        "state_owned": groups[True],
        "other": groups[False],
        "by_region": regions,
    }


def _group() -> dict:
    return {"reported": 0, "judged": 0, "complying": 0, "annuity": 0}


def wage_short_list(
    *, user, year: int, region: str | None = None, state_owned: bool | None = None
) -> QuerySet[WageReport]:
    """The judged reports of ``year`` whose skilled growth fell short, ordered by id (the order a
    sample is drawn from)."""
    reports = wage_report_list(user=user).filter(year=year, complies=False)
    if region:
        reports = reports.filter(organisation__region=region)
    if state_owned is not None:
        reports = reports.filter(organisation__is_state_owned=state_owned)
    return reports.order_by("pk")


def wage_sample_list(*, user, action: str = "view") -> QuerySet[WageSample]:
    return (
        WageSample.objects.for_user(user, action)
        .select_related("drawn_by", "region")
        .annotate(drawn=Count("reports"))
    )


def wage_growth_compliance(*, on: datetime.date, region: str | None) -> dict:
    """技能人才工资增幅 for the dashboard (stats.providers): of the enterprises whose report of the
    latest judged year can be compared with their report of the year before, the share whose
    skilled workers' per-capita wage growth is not below the staff's; the drill-down lists those
    enterprises, with the complying and short ones and the state-owned comparison beside it."""
    from django.urls import reverse

    year = wage_latest_judged_year(user=SYSTEM, on=on, region=region)
    if year is None:
        return {"value": None, "year": None, "judged": 0, "complying": 0, "short": 0}
    summary = wage_compliance(user=SYSTEM, year=year, region=region)
    total, state = summary["total"], summary["state_owned"]
    base = {"year": year, "judged": "true", **({"region": region} if region else {})}

    def url(**extra) -> str:
        return reverse("orgs:wagereport_list") + "?" + urlencode({**base, **extra})

    return {
        "value": total["share"],
        "url": url(),
        "year": year,
        "reported": total["reported"],
        "judged": total["judged"],
        "complying": total["complying"],
        "short": total["short"],
        "short_url": url(complies="false"),
        "state_owned_judged": state["judged"],
        "state_owned_complying": state["complying"],
        "state_owned_share": state["share"],
        "state_owned_url": url(is_state_owned="true"),
        "other_share": summary["other"]["share"],
        "compliance_url": reverse("orgs:wage_compliance") + "?" + urlencode({"year": year}),
    }
