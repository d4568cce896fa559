"""Filters of the carrier list and the public catalogue."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import set_empty_labels
from gongjiang.core.models import CarrierType, Domain, Region

from .choices import CarrierLevel, CarrierStatus
from .models import Carrier
from .selectors import carriers_toward_target

_YES_NO = forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])


def _years():
    return [(y, f"{y}年") for y in range(timezone.localdate().year, 2009, -1)]


class _CarrierFilters(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称或依托单位", method="filter_q")
    carrier_type = django_filters.ModelChoiceFilter(label="载体类型", queryset=CarrierType.objects.all())
    level = django_filters.ChoiceFilter(label="认定级别", choices=CarrierLevel.choices)
    region = django_filters.ModelChoiceFilter(label="县区", queryset=Region.objects.exclude(kind="city"))
    domain = django_filters.ModelChoiceFilter(label="重点领域", queryset=Domain.objects.all())
    recognised_year = django_filters.ChoiceFilter(
        label="首次认定年份", choices=[], method="filter_recognised_year", empty_label="全部"
    )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__contains=value) | Q(host__name__contains=value) | Q(host__uscc=value.upper())
        )

    def filter_recognised_year(self, queryset, name, value):
        return queryset.filter(first_recognised_on__year=int(value))


class CarrierFilterSet(_CarrierFilters):
    status = django_filters.ChoiceFilter(label="状态", choices=CarrierStatus.choices)
    overdue = django_filters.BooleanFilter(label="已逾期", method="filter_overdue", widget=_YES_NO)
    toward_target = django_filters.BooleanFilter(
        label="计入20家目标", method="filter_toward_target", widget=_YES_NO
    )

    class Meta:
        model = Carrier
        fields = ["q", "carrier_type", "status", "level", "region", "domain"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.exclude(kind="city"), user)
        self.filters["recognised_year"].extra["choices"] = _years()
        set_empty_labels(self)

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(due_on__lt=today) if value else queryset.exclude(due_on__lt=today)

    def filter_toward_target(self, queryset, name, value):
        counted = carriers_toward_target().values("pk")
        return queryset.filter(pk__in=counted) if value else queryset.exclude(pk__in=counted)


class CatalogueFilterSet(_CarrierFilters):
    """The public catalogue's filters (no user, no scope: the catalogue is public)."""

    class Meta:
        model = Carrier
        fields = ["q", "carrier_type", "level", "region", "domain"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["recognised_year"].extra["choices"] = _years()
        set_empty_labels(self)
