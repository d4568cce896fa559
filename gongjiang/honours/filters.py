"""Filters of the honours lists, shared by the pages and their exports."""

from __future__ import annotations

import django_filters

from gongjiang.common.forms import YearFilter, set_empty_labels

from .choices import AwardSource, AwardStatus, NominationStatus
from .models import HonourAward, HonourTitle, Nomination


class _Base(django_filters.FilterSet):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)


class HonourAwardFilterSet(_Base):
    q = django_filters.CharFilter(label="姓名", method="filter_q")
    title = django_filters.ModelChoiceFilter(label="荣誉/项目", queryset=HonourTitle.objects.all())
    source = django_filters.ChoiceFilter(label="来源", choices=AwardSource.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=AwardStatus.choices)
    year = YearFilter(label="授予年度", field_name="granted_on__year")

    class Meta:
        model = HonourAward
        fields = ["q", "title", "source", "status", "year"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(person__name__startswith=value) if value else queryset


class NominationFilterSet(_Base):
    q = django_filters.CharFilter(label="姓名", method="filter_q")
    title = django_filters.ModelChoiceFilter(
        label="荣誉/项目", field_name="round__title", queryset=HonourTitle.objects.all()
    )
    status = django_filters.ChoiceFilter(label="状态", choices=NominationStatus.choices)
    high_skilled = django_filters.BooleanFilter(label="高技能人才")

    class Meta:
        model = Nomination
        fields = ["q", "title", "status", "high_skilled"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(person__name__startswith=value) if value else queryset
