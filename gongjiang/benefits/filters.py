"""Filters of the entitlement list."""

from __future__ import annotations

import django_filters

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import set_empty_labels
from gongjiang.core.models import Region

from .choices import EntitlementStatus
from .models import BenefitPolicy, Entitlement


class EntitlementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名", field_name="person__name", lookup_expr="startswith")
    policy = django_filters.ModelChoiceFilter(label="政策", queryset=BenefitPolicy.objects.all())
    status = django_filters.ChoiceFilter(label="状态", choices=EntitlementStatus.choices)
    region = django_filters.ModelChoiceFilter(
        label="工作县区", field_name="person__region", queryset=Region.objects.exclude(kind="city")
    )

    class Meta:
        model = Entitlement
        fields = ["q", "policy", "status", "region"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.exclude(kind="city"), user)
        set_empty_labels(self)
