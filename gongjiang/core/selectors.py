"""Reads of reference data shaped for the import pipeline's lookups."""

from __future__ import annotations

import re

from .converters import Lookup
from .models import Domain, Region

_SUFFIXES = re.compile(r"(经济技术开发区|高新技术产业开发区|风景名胜区|新区|区|县)$")


def region_lookup() -> Lookup:
    """County-level regions and zones by code, full name, or short name (海州, 徐圩, 开发区 …)."""
    pairs: dict[str, str] = {}
    for code, name in Region.objects.exclude(kind="city").values_list("code", "name"):
        short = name.removeprefix("连云港")
        pairs.update({code: code, name: code, short: code, _SUFFIXES.sub("", short): code})
    return Lookup("县区", pairs)


def domain_lookup() -> Lookup:
    pairs = {code: code for code in Domain.objects.values_list("code", flat=True)}
    pairs.update(dict(Domain.objects.values_list("name", "code")))
    return Lookup("重点领域", pairs)
