"""Reads of the talent database, always through the scope rule."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from gongjiang.accounts.models import User
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.core.validators import compact, local_today

from .counting import counts_on
from .models import Certificate, Person
from .services import resident_id_digest


def looks_like_resident_id(text: str) -> bool:
    value = compact(text).upper()
    return len(value) == 18 and value[:17].isdigit()


def person_list(*, user: User, action: str = "view") -> QuerySet[Person]:
    """The persons ``user`` may ``action``, with what the list shows joined in."""
    return Person.objects.for_user(user, action).select_related(
        "region", "employer", "occupation", "domain", "highest_level"
    )


def person_search(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """A full ID number finds its person by digest; anything else is the start of a name."""
    text = (text or "").strip()
    if not text:
        return queryset
    if looks_like_resident_id(text):
        return queryset.filter(id_digest=resident_id_digest(compact(text).upper()))
    return queryset.filter(name__startswith=compact(text))


def person_profile(*, user: User, pk: int) -> Person:
    """One person in scope with certificates for the timeline (oldest first); 404 outside scope."""
    certificates = Certificate.objects.select_related("cert_type", "level", "occupation").order_by(
        "issue_date", "id"
    )
    queryset = Person.objects.select_related(
        "region", "employer", "occupation", "domain", "highest_level"
    ).prefetch_related(Prefetch("certificates", queryset=certificates))
    return get_scoped_or_404(queryset, user, "view", pk=pk)


def high_skilled_certificate(person: Person, certificates: Iterable[Certificate]) -> Certificate | None:
    """The certificate that made ``person`` high-skilled, as ``services.persons_refresh_derived``
    derives it: the first (by issue date) of the certificates at 高级工 or above that count today
    (the one rule, ``counting.counts_on``). For an introduced talent it is still this certificate, though the
    date it counts from (``high_skilled_since``) is the later introduction date. None when the
    person is not high-skilled. Works on the profile's prefetched certificates (no query); the
    tests hold it to the SQL derivation. Not stored: the import's merge fills the derived fields of
    new persons in its own INSERT, which would need the same change."""
    if not person.is_high_skilled:
        return None
    today = local_today()
    counted = [c for c in certificates if counts_on(c, today) and c.level.is_high_skilled]
    return min(counted, key=lambda c: (c.issue_date, c.pk), default=None)


def certificate_list(*, user: User, action: str = "view") -> QuerySet[Certificate]:
    return Certificate.objects.for_user(user, action).select_related(
        "person", "person__region", "cert_type", "level", "occupation"
    )
