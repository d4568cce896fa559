"""Filters of the evaluation lists, shared by the pages and their exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import MAX_ROW_ID, set_empty_labels
from gongjiang.core.models import Occupation, Region, SkillLevel
from gongjiang.core.validators import compact
from gongjiang.talents.selectors import id_search_digest

from .choices import AppointmentStatus, BatchStatus, CandidateResult, FilingStatus, InstitutionType
from .models import Appointment, AppointmentRule, Batch, Candidate, Filing
from .selectors import filing_in_force

_DATE = forms.DateInput(attrs={"type": "date"})


def _occupations():
    return Occupation.objects.filter(kind__in=["minor", "occupation"])


def _person_q(text: str) -> Q:
    """A full ID number finds its holder by digest; anything else is the start of a name (as in
    talents.selectors.person_search, applied through the row's ``person``)."""
    text = text.strip()
    key = id_search_digest(text)
    if key is not None:
        return Q(person__id_digest=key)
    return Q(person__name__startswith=compact(text))


def _organisation_q(prefix: str, value: str) -> Q:
    value = value.strip()
    return Q(**{f"{prefix}name__contains": value}) | Q(**{f"{prefix}uscc": value.upper()})


class _ScopedRegionMixin:
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.all(), user)
        set_empty_labels(self)


class FilingFilterSet(_ScopedRegionMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="机构名称或信用代码", method="filter_q")
    institution_type = django_filters.ChoiceFilter(label="机构类型", choices=InstitutionType.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=FilingStatus.choices)
    in_force = django_filters.BooleanFilter(
        label="今日有效",
        method="filter_in_force",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )
    occupation = django_filters.ModelChoiceFilter(
        label="可评价职业", field_name="occupations", queryset=_occupations()
    )
    level = django_filters.ModelChoiceFilter(
        label="可评价等级", field_name="levels", queryset=SkillLevel.objects.exclude(code="APPRENTICE")
    )
    region = django_filters.ModelChoiceFilter(
        label="县区", field_name="organisation__region", queryset=Region.objects.none()
    )

    class Meta:
        model = Filing
        fields = ["q", "institution_type", "status", "in_force", "occupation", "level", "region"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(_organisation_q("organisation__", value)) if value.strip() else queryset

    def filter_in_force(self, queryset, name, value):
        current = filing_in_force(queryset, timezone.localdate())
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class BatchFilterSet(_ScopedRegionMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="批次编号或名称", method="filter_q")
    institution = django_filters.CharFilter(label="评价机构（名称或信用代码）", method="filter_institution")
    status = django_filters.ChoiceFilter(label="状态", choices=BatchStatus.choices)
    occupation = django_filters.ModelChoiceFilter(label="职业", queryset=_occupations())
    level = django_filters.ModelChoiceFilter(
        label="等级", queryset=SkillLevel.objects.exclude(code="APPRENTICE")
    )
    exam_from = django_filters.DateFilter(
        label="考核日期起", field_name="exam_date", lookup_expr="gte", widget=_DATE
    )
    exam_to = django_filters.DateFilter(
        label="考核日期止", field_name="exam_date", lookup_expr="lte", widget=_DATE
    )
    region = django_filters.ModelChoiceFilter(
        label="县区", field_name="filing__organisation__region", queryset=Region.objects.none()
    )

    class Meta:
        model = Batch
        fields = ["q", "institution", "status", "occupation", "level", "region"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        condition = Q(name__contains=value)
        code = value.upper().removeprefix("PC")
        if code.isdigit():
            condition |= Q(pk=int(code))
        return queryset.filter(condition)

    def filter_institution(self, queryset, name, value):
        return (
            queryset.filter(_organisation_q("filing__organisation__", value)) if value.strip() else queryset
        )


class CandidateFilterSet(_ScopedRegionMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="考生姓名或身份证号", method="filter_q")
    batch = django_filters.CharFilter(label="批次编号", method="filter_batch")
    result = django_filters.ChoiceFilter(
        label="考核结果", choices=[*CandidateResult.choices, ("none", "未录入")], method="filter_result"
    )
    batch_status = django_filters.ChoiceFilter(
        label="批次状态", field_name="batch__status", choices=BatchStatus.choices
    )
    level = django_filters.ModelChoiceFilter(
        label="等级", field_name="batch__level", queryset=SkillLevel.objects.exclude(code="APPRENTICE")
    )
    occupation = django_filters.ModelChoiceFilter(
        label="职业", field_name="batch__occupation", queryset=_occupations()
    )
    region = django_filters.ModelChoiceFilter(
        label="县区", field_name="batch__filing__organisation__region", queryset=Region.objects.none()
    )

    class Meta:
        model = Candidate
        fields = ["q", "batch", "result", "batch_status", "level", "occupation", "region"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(_person_q(value))

    def filter_batch(self, queryset, name, value):
        code = value.strip().upper().removeprefix("PC")
        if not code.isdigit() or not 0 < int(code) <= MAX_ROW_ID:
            return queryset.none()
        return queryset.filter(batch_id=int(code))

    def filter_result(self, queryset, name, value):
        return queryset.filter(passed={"pass": True, "fail": False, "none": None}[value])


class AppointmentFilterSet(_ScopedRegionMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label="受聘人姓名或身份证号", method="filter_q")
    organisation = django_filters.CharFilter(label="聘任单位（名称或信用代码）", method="filter_organisation")
    level = django_filters.ModelChoiceFilter(
        label="聘任等级", queryset=SkillLevel.objects.filter(pk__in=AppointmentRule.objects.values("level"))
    )
    status = django_filters.ChoiceFilter(label="状态", choices=AppointmentStatus.choices)
    region = django_filters.ModelChoiceFilter(
        label="县区", field_name="organisation__region", queryset=Region.objects.none()
    )

    class Meta:
        model = Appointment
        fields = ["q", "organisation", "level", "status", "region"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(_person_q(value))

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(_organisation_q("organisation__", value)) if value.strip() else queryset
