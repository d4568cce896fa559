"""Fetching one scoped row for a page: the one scope rule, with the answer for a row outside it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .scope import scope
from .services import audit_record


def get_scoped_or_404(queryset: QuerySet, user, action: str = "view", **lookup):
    """The one row matching ``lookup`` within ``user``'s scope. Outside the scope (or missing) is
    404, never 403, so the answer does not reveal that the row exists; a denial is audited."""
    try:
        return scope(queryset, user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        exists = queryset.filter(**lookup).exists()
        if exists:
            audit_record(
                actor=user if user.is_authenticated else None,
                action="access.denied",
                object_type=queryset.model._meta.label_lower,
                object_id=str(next(iter(lookup.values()), "")),
                changes={"action": action},
                result="denied",
            )
        raise Http404("未找到该记录") from None
