"""Reads of organisations, through the scope rule."""

from django.db.models import QuerySet

from gongjiang.accounts.models import User

from .models import Organisation


def organisation_list(*, user: User, action: str = "view") -> QuerySet[Organisation]:
    return Organisation.objects.for_user(user, action).select_related("region", "domain")
