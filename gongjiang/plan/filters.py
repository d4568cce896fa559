"""Filters of the plan's lists (scope is applied before them)."""

from __future__ import annotations

import django_filters

from gongjiang.common.forms import YearFilter, set_empty_labels
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Organisation

from .choices import SupervisionStatus
from .models import FundingSource, Measure, Spending, Supervision, Task


class TaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="任务", field_name="title", lookup_expr="contains")
    measure = django_filters.ModelChoiceFilter(label="措施", queryset=Measure.objects.all())
    department = django_filters.ModelChoiceFilter(
        label="部门（牵头或配合）",
        field_name="departments",
        queryset=Organisation.objects.none(),
        distinct=True,
    )
    counties = django_filters.BooleanFilter(label="含县区和功能板块", method="filter_counties")

    class Meta:
        model = Task
        fields = ["q", "measure", "department", "counties"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = Organisation.objects.filter(kind=OrgKind.DEPARTMENT).order_by(
            "name"
        )
        set_empty_labels(self)  # last: it builds the form, which takes the querysets as they are then

    def filter_counties(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(measure__counties=value)


class SupervisionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=SupervisionStatus.choices)
    measure = django_filters.ModelChoiceFilter(
        label="措施", field_name="task__measure", queryset=Measure.objects.all()
    )

    class Meta:
        model = Supervision
        fields = ["status", "measure"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)


class SpendingFilterSet(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(label="资金来源", queryset=FundingSource.objects.all())
    measure = django_filters.ModelChoiceFilter(label="措施", queryset=Measure.objects.all())
    year = YearFilter(label="年度", field_name="spent_on", lookup_expr="year")

    class Meta:
        model = Spending
        fields = ["source", "measure", "year"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)
