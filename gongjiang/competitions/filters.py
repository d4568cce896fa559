"""Filters of the competition lists, shared by the pages and their exports."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from gongjiang.common.forms import YearFilter, set_empty_labels

from .choices import Award, ResultStatus, Tier
from .models import AwardRule, Competition, Result


class _Base(django_filters.FilterSet):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)


class CompetitionFilterSet(_Base):
    q = django_filters.CharFilter(label="名称或主办单位", method="filter_q")
    tier = django_filters.ChoiceFilter(label="竞赛类别", choices=Tier.choices)
    year = YearFilter(label="年度")

    class Meta:
        model = Competition
        fields = ["q", "tier", "year"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(organiser__contains=value)) if value else queryset


class ResultFilterSet(_Base):
    q = django_filters.CharFilter(label="选手姓名", method="filter_q")
    tier = django_filters.ChoiceFilter(
        label="竞赛类别", choices=Tier.choices, field_name="event__competition__tier"
    )
    year = YearFilter(label="年度", field_name="event__competition__year")
    award = django_filters.ChoiceFilter(label="奖项", choices=Award.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=ResultStatus.choices)

    class Meta:
        model = Result
        fields = ["q", "tier", "year", "award", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(person__name__startswith=value) if value else queryset


class AwardRuleFilterSet(_Base):
    tier = django_filters.ChoiceFilter(label="竞赛类别", choices=Tier.choices)
    award = django_filters.ChoiceFilter(label="奖项", choices=Award.choices)

    class Meta:
        model = AwardRule
        fields = ["tier", "award"]
