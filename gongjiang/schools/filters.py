"""Filters of the schools lists, shared by the pages and their exports (scope is applied before)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import F, Q

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import RowIdFilter, set_empty_labels
from gongjiang.core.models import Region, SkillLevel
from gongjiang.orgs.models import Organisation

from .choices import (
    DEMONSTRATION_COUNTED,
    SCHOOL_KIND_CHOICES,
    SCHOOL_KINDS,
    TEACHER_GOAL_PERCENT,
    DemonstrationStatus,
    TeacherCategory,
)
from .models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher
from .selectors import milestone_overdue_q, region_q, teaching_on_q

_YES_NO = forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])


def _years():
    this_year = datetime.date.today().year
    return [(y, f"{y}年") for y in range(this_year + 1, 2015, -1)]


class _SchoolScoped(django_filters.FilterSet):
    """Region and school dropdowns narrowed to the user's scope."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" in self.filters:
            self.filters["region"].queryset = scope(Region.objects.all(), user)
        if "year" in self.filters:
            self.filters["year"].extra["choices"] = _years()
        if "school" in self.filters:
            self.filters["school"].queryset = scope(
                Organisation.objects.filter(kind__in=SCHOOL_KINDS), user
            ).order_by("name")
        set_empty_labels(self)


def _school_filter(path: str = "school"):
    return django_filters.ModelChoiceFilter(
        label="学校", field_name=path, queryset=Organisation.objects.none()
    )


def _region_filter(path: str):
    return django_filters.ModelChoiceFilter(
        label="县区",
        queryset=Region.objects.none(),
        method=lambda qs, _name, value: qs.filter(region_q(value, path)),
    )


class SchoolFilterSet(_SchoolScoped):
    q = django_filters.CharFilter(label="学校名称或信用代码", method="filter_q")
    kind = django_filters.ChoiceFilter(label="学校类别", choices=SCHOOL_KIND_CHOICES)
    region = _region_filter("region")
    below_goal = django_filters.BooleanFilter(label="未达到90%", method="filter_below_goal", widget=_YES_NO)

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(uscc=value.upper()))

    def filter_below_goal(self, queryset, name, value):
        # In integers, on the annotations of selectors.school_list, so exactly 90% is not below.
        queryset = queryset.alias(
            high_100=F("teacher_high") * 100, goal_100=F("teacher_total") * TEACHER_GOAL_PERCENT
        )
        below = Q(high_100__lt=F("goal_100"))
        return queryset.filter(below) if value else queryset.exclude(below)


class TeacherFilterSet(_SchoolScoped):
    q = django_filters.CharFilter(label="姓名或任教专业", method="filter_q")
    school = _school_filter()
    region = _region_filter("school__region")
    category = django_filters.ChoiceFilter(label="教师类别", choices=TeacherCategory.choices)
    high = django_filters.BooleanFilter(label="高级工及以上", field_name="is_high", widget=_YES_NO)
    highest_level = django_filters.ModelChoiceFilter(
        label="最高等级", field_name="person__highest_level", queryset=SkillLevel.objects.all()
    )
    in_post = django_filters.BooleanFilter(label="在任", method="filter_in_post", widget=_YES_NO)

    class Meta:
        model = Teacher
        fields = ["q", "school", "category"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(person__name__startswith=value) | Q(subject__contains=value))

    def filter_in_post(self, queryset, name, value):
        return queryset.filter(teaching_on_q()) if value else queryset.exclude(teaching_on_q())


class DemonstrationFilterSet(_SchoolScoped):
    kind = django_filters.ChoiceFilter(
        label="学校类别", field_name="school__kind", choices=SCHOOL_KIND_CHOICES
    )
    status = django_filters.ChoiceFilter(label="扶持状态", choices=DemonstrationStatus.choices)
    year = django_filters.ChoiceFilter(label="扶持年度", choices=[])
    region = _region_filter("school__region")
    overdue = django_filters.BooleanFilter(label="有逾期任务", method="filter_overdue", widget=_YES_NO)
    counted = django_filters.BooleanFilter(label="计入“2 + 2”目标", method="filter_counted", widget=_YES_NO)

    class Meta:
        model = DemonstrationSchool
        fields = ["kind", "status", "year"]

    def filter_counted(self, queryset, name, value):
        """扶持建设中 or 已建成: the schools the 2 + 2 goal counts (拟扶持 and 终止扶持 do not)."""
        counted = Q(status__in=DEMONSTRATION_COUNTED)
        return queryset.filter(counted) if value else queryset.exclude(counted)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(milestones_overdue__gt=0) if value else queryset.filter(milestones_overdue=0)


class MilestoneFilterSet(_SchoolScoped):
    q = django_filters.CharFilter(label="建设任务", field_name="name", lookup_expr="contains")
    school = _school_filter("demonstration__school")
    state = django_filters.ChoiceFilter(
        label="进度",
        method="filter_state",
        choices=[("overdue", "已逾期"), ("pending", "未完成"), ("done", "已完成")],
    )
    due_from = django_filters.DateFilter(
        label="计划完成起",
        field_name="due_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_to = django_filters.DateFilter(
        label="计划完成止",
        field_name="due_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Milestone
        fields = ["q", "school"]

    def filter_state(self, queryset, name, value):
        if value == "overdue":
            return queryset.filter(milestone_overdue_q())
        if value == "pending":
            return queryset.filter(done_on__isnull=True)
        return queryset.filter(done_on__isnull=False)


class PracticeFilterSet(_SchoolScoped):
    q = django_filters.CharFilter(label="教师姓名或实践企业", method="filter_q")
    school = _school_filter("teacher__school")
    region = _region_filter("teacher__school__region")
    year = django_filters.ChoiceFilter(label="年度", field_name="start_on__year", choices=[])
    teacher = RowIdFilter(field_name="teacher_id", widget=forms.HiddenInput)

    class Meta:
        model = EnterprisePractice
        fields = ["q", "school", "year"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(teacher__person__name__startswith=value) | Q(host_name__contains=value))


class SchoolYearFilterSet(_SchoolScoped):
    school = _school_filter()
    kind = django_filters.ChoiceFilter(
        label="学校类别", field_name="school__kind", choices=SCHOOL_KIND_CHOICES
    )
    region = _region_filter("school__region")
    year = django_filters.ChoiceFilter(label="年度", choices=[])

    class Meta:
        model = SchoolYear
        fields = ["school", "kind", "year"]
