"""Filters of the training pages: the public course catalogue (no user, no scope) and the signed-in
lists (their region choices narrowed by the one scope rule)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import YearFilter, set_empty_labels
from gongjiang.core.models import Domain, Region, SkillLevel

from .choices import ClaimStatus, ProviderKind, ResourceKind, SharingStatus, SubsidyKind
from .models import Course, EnterpriseTraining, Provider, SharingRequest, SubsidyClaim

_YES_NO = forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])


class _CourseFilters(django_filters.FilterSet):
    q = django_filters.CharFilter(label="课程或机构", method="filter_q")
    domain = django_filters.ModelChoiceFilter(label="重点领域", queryset=Domain.objects.all())
    occupation = django_filters.CharFilter(label="职业（工种）", method="filter_occupation")
    level = django_filters.ModelChoiceFilter(label="等级", queryset=SkillLevel.objects.all())
    region = django_filters.ModelChoiceFilter(
        label="县区", field_name="provider__region", queryset=Region.objects.exclude(kind="city")
    )
    provider_kind = django_filters.ChoiceFilter(
        label="机构类别", field_name="provider__kind", choices=ProviderKind.choices
    )
    subsidised = django_filters.BooleanFilter(label="可享补贴", method="filter_subsidised", widget=_YES_NO)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__contains=value) | Q(provider__name__contains=value))
            if value
            else queryset
        )

    def filter_occupation(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(occupation__name__contains=value) | Q(occupation__code__startswith=value))

    def filter_subsidised(self, queryset, name, value):
        subsidised = Q(certificate_type__isnull=False) & ~Q(subsidy_class="")
        return queryset.filter(subsidised) if value else queryset.exclude(subsidised)


class CatalogueFilterSet(_CourseFilters):
    """The public catalogue's filters."""

    class Meta:
        model = Course
        fields = ["q", "domain", "occupation", "level", "region", "provider_kind", "subsidised"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)


class CourseFilterSet(_CourseFilters):
    published = django_filters.BooleanFilter(label="已发布", widget=_YES_NO)

    class Meta:
        model = Course
        fields = ["q", "domain", "occupation", "level", "region", "subsidised", "published"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.exclude(kind="city"), user)
        set_empty_labels(self)


class ProviderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称", field_name="name", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label="机构类别", choices=ProviderKind.choices)
    region = django_filters.ModelChoiceFilter(label="县区", queryset=Region.objects.exclude(kind="city"))
    domains = django_filters.ModelChoiceFilter(label="重点领域", queryset=Domain.objects.all())

    class Meta:
        model = Provider
        fields = ["q", "kind", "region", "domains"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.exclude(kind="city"), user)
        set_empty_labels(self)


class SubsidyClaimFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="补贴种类", choices=SubsidyKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=ClaimStatus.choices)
    region = django_filters.ModelChoiceFilter(label="县区", queryset=Region.objects.exclude(kind="city"))

    class Meta:
        model = SubsidyClaim
        fields = ["kind", "status", "region"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.exclude(kind="city"), user)
        set_empty_labels(self)


class EnterpriseTrainingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="企业", field_name="organisation__name", lookup_expr="contains")
    year = YearFilter(label="年度")
    region = django_filters.ModelChoiceFilter(
        label="县区", field_name="organisation__region", queryset=Region.objects.exclude(kind="city")
    )
    has_training_system = django_filters.BooleanFilter(label="已建培训制度", widget=_YES_NO)

    class Meta:
        model = EnterpriseTraining
        fields = ["q", "year", "region", "has_training_system"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.exclude(kind="city"), user)
        set_empty_labels(self)


class SharingRequestFilterSet(django_filters.FilterSet):
    resource = django_filters.ChoiceFilter(label="共享资源", choices=ResourceKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=SharingStatus.choices)

    class Meta:
        model = SharingRequest
        fields = ["resource", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)
