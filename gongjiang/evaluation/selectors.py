"""Reads of skill evaluation, always through the scope rule."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.shortcuts import get_scoped_or_404

from .choices import AppointmentStatus, BatchStatus, FilingStatus
from .models import Appointment, Batch, Candidate, Filing


def filing_list(*, user: User, action: str = "view") -> QuerySet[Filing]:
    return (
        Filing.objects.for_user(user, action)
        .select_related("organisation", "organisation__region")
        .prefetch_related("occupations", "levels")
    )


def filing_detail(*, user: User, pk: int) -> Filing:
    """One filing in scope with what its page shows; 404 (audited) outside."""
    queryset = Filing.objects.select_related(
        "organisation", "organisation__region", "submitted_by", "decided_by"
    ).prefetch_related("occupations", "levels")
    return get_scoped_or_404(queryset, user, "view", pk=pk)


def filing_in_force(queryset: QuerySet[Filing], on: datetime.date) -> QuerySet[Filing]:
    """Filings approved and within their period on ``on``."""
    return queryset.filter(status=FilingStatus.APPROVED, valid_from__lte=on, valid_to__gte=on)


def batch_list(*, user: User, action: str = "view") -> QuerySet[Batch]:
    return (
        Batch.objects.for_user(user, action)
        .select_related("filing__organisation", "filing__organisation__region", "occupation", "level")
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            pass_count=Count("candidates", filter=Q(candidates__passed=True), distinct=True),
        )
    )


def batch_detail(*, user: User, pk: int) -> Batch:
    """One batch in scope with its candidates (and their certificates) for the page; 404 outside."""
    candidates = Candidate.objects.select_related("person", "certificate").order_by("id")
    queryset = Batch.objects.select_related(
        "filing__organisation", "occupation", "level", "planned_by", "reviewed_by"
    ).prefetch_related(Prefetch("candidates", queryset=candidates))
    return get_scoped_or_404(queryset, user, "view", pk=pk)


def candidate_list(*, user: User, action: str = "view") -> QuerySet[Candidate]:
    return Candidate.objects.for_user(user, action).select_related(
        "person",
        "batch",
        "batch__filing__organisation",
        "batch__occupation",
        "batch__level",
        "certificate",
    )


def appointment_list(*, user: User, action: str = "view") -> QuerySet[Appointment]:
    return Appointment.objects.for_user(user, action).select_related(
        "organisation", "organisation__region", "person", "level", "occupation", "certificate"
    )


def appointment_detail(*, user: User, pk: int) -> Appointment:
    queryset = Appointment.objects.select_related(
        "organisation", "person", "level", "occupation", "certificate", "decided_by"
    )
    return get_scoped_or_404(queryset, user, "view", pk=pk)


def evaluation_summary(*, user: User, year: int | None = None) -> dict[str, object]:
    """What the dashboard shows of skill evaluation, within ``user``'s scope: institutions in
    force today by type, batches by state, certificates issued through evaluation and appointments
    in ``year`` (default: this year) by level."""
    today = timezone.localdate()
    year = year or today.year
    filings = filing_in_force(Filing.objects.for_user(user), today)
    batches = Batch.objects.for_user(user)
    published = Candidate.objects.for_user(user).filter(
        certificate__isnull=False, certificate__issue_date__year=year
    )
    appointments = Appointment.objects.for_user(user).filter(
        status=AppointmentStatus.CONFIRMED, appointed_on__year=year
    )
    by_type = dict(filings.values_list("institution_type").annotate(n=Count("id")).order_by())
    by_status = dict(batches.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "institutions_in_force": sum(by_type.values()),
        "institutions_by_type": by_type,
        "batches_by_status": {status: by_status.get(status, 0) for status in BatchStatus.values},
        "certificates_issued": published.count(),
        "certificates_by_level": dict(
            published.values_list("batch__level__name").annotate(n=Count("id")).order_by()
        ),
        "appointments_by_level": dict(
            appointments.values_list("level__name").annotate(n=Count("id")).order_by()
        ),
    }
