"""Indicators whose rows live in other apps (carriers, schools, enterprises' wage reports), behind a
small registry so the dashboard works before those apps are connected and picks them up after.

A provider is a function ``(*, on: date, region: str | None) -> dict`` (region: a region code, or
None for the whole city) returning at least ``value`` and, where it has them, ``goal``,
``baseline`` (the value on 2025-12-31, for the pace line), ``url`` (the list of the counted
rows), ``parts`` (e.g. high / total), and lists of breakdown items ``{"label", "value", "url"}``
under any of ``by_type``, ``by_level``, ``by_school``. A provider that cannot be imported is
"not connected": the dashboard shows —（数据待接入）.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.module_loading import import_string

from .indicators import DEMONSTRATION_SCHOOLS, NEW_CARRIERS, TEACHER_SHARE, WAGE_GROWTH

# indicator code → dotted path of its provider in the app that owns the rows.
PROVIDERS: dict[str, str] = {
    NEW_CARRIERS.code: "gongjiang.carriers.selectors.carriers_target_indicator",
    TEACHER_SHARE.code: "gongjiang.schools.selectors.teacher_share_indicator",
    DEMONSTRATION_SCHOOLS.code: "gongjiang.schools.selectors.demonstration_indicator",
    WAGE_GROWTH.code: "gongjiang.orgs.selectors.wage_growth_compliance",
}

Provider = Callable[..., dict]


def provider_for(code: str) -> Provider | None:
    """The provider of indicator ``code``, or None while its app does not offer it."""
    path = PROVIDERS.get(code)
    if not path:
        return None
    try:
        return import_string(path)
    except ImportError:
        return None


def provided(code: str, *, on: datetime.date, region: str | None) -> dict | None:
    """What the provider of ``code`` reports (normalised to a dict), or None when not connected."""
    provider = provider_for(code)
    if provider is None:
        return None
    data = provider(on=on, region=region)
    if not isinstance(data, dict):  # a queryset or list of the counted rows
        data = {"value": data.count() if isinstance(data, QuerySet) else len(data)}
    return data
