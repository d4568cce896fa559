"""Reads of the API app: the tokens a user may see (the city admin: all)."""

from __future__ import annotations

from django.db.models import QuerySet

from gongjiang.accounts.models import User

from .models import ApiToken


def api_token_list(*, user: User, action: str = "view") -> QuerySet[ApiToken]:
    return ApiToken.objects.for_user(user, action).select_related(
        "user", "user__organisation", "user__region", "created_by"
    )
