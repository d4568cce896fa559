"""Reads of the talent database, always through the scope rule."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from gongjiang.accounts.models import User
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.core.validators import compact

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


def certificate_list(*, user: User, action: str = "view") -> QuerySet[Certificate]:
    return Certificate.objects.for_user(user, action).select_related(
        "person", "person__region", "cert_type", "level", "occupation"
    )
