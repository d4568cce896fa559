"""Filters of the person and certificate lists, shared by the pages and (later) the API."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import RowIdFilter, set_empty_labels
from gongjiang.core.models import Domain, Occupation, Region, SkillLevel
from gongjiang.orgs.choices import OrgKind

from .choices import CertificateStatus
from .models import Certificate, Person
from .selectors import person_search, person_search_hint, person_search_parse
from .services import person_search_record

_YES_NO = [("", "全部"), ("true", "是"), ("false", "否")]


def _years():
    this_year = datetime.date.today().year
    return [(y, f"{y}年") for y in range(this_year, 2009, -1)]


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="姓名或身份证号",
        method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": "姓名 / 身份证号 / 姓名+后四位"}),
    )
    region = django_filters.ModelChoiceFilter(label="县区", queryset=Region.objects.none())
    domain = django_filters.ModelChoiceFilter(
        label="重点领域", queryset=Domain.objects.all(), null_label="未填写"
    )
    highest_level = django_filters.ModelChoiceFilter(label="最高等级", queryset=SkillLevel.objects.all())
    is_high_skilled = django_filters.BooleanFilter(
        label="高技能人才",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )
    # An organisation's page links here with ?employer=<id>; the dropdown of tens of thousands of
    # employers is replaced by a name / credit-code search.
    employer = RowIdFilter(field_name="employer_id", widget=forms.HiddenInput)
    employer_q = django_filters.CharFilter(label="工作单位（名称或信用代码）", method="filter_employer")
    occupation = django_filters.ModelChoiceFilter(
        label="职业", queryset=Occupation.objects.all(), null_label="未填写"
    )
    attained_year = django_filters.ChoiceFilter(
        label="成为高技能人才年份", choices=[], method="filter_attained_year", empty_label="全部"
    )
    # The dashboard's drill-downs (stats): exactly the persons behind one of its numbers.
    since_from = django_filters.DateFilter(
        label="成为高技能人才日期起",
        field_name="high_skilled_since",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    since_to = django_filters.DateFilter(
        label="成为高技能人才日期止",
        field_name="high_skilled_since",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    skilled = django_filters.BooleanFilter(
        label="技能人才",
        field_name="highest_level",
        lookup_expr="isnull",
        exclude=True,
        widget=forms.Select(choices=_YES_NO),
    )
    employer_kind = django_filters.ChoiceFilter(
        label="单位类别", choices=[("none", "无工作单位"), *OrgKind.choices], method="filter_employer_kind"
    )
    chain_leader = django_filters.BooleanFilter(
        label="链主企业", field_name="employer__is_chain_leader", widget=forms.Select(choices=_YES_NO)
    )
    specialised = django_filters.BooleanFilter(
        label="专精特新", field_name="employer__is_specialised", widget=forms.Select(choices=_YES_NO)
    )
    state_owned = django_filters.BooleanFilter(
        label="国有企业", field_name="employer__is_state_owned", widget=forms.Select(choices=_YES_NO)
    )

    class Meta:
        model = Person
        fields = ["q", "region", "domain", "highest_level", "is_high_skilled", "employer", "occupation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.search_hint = ""
        self.filters["region"].queryset = scope(Region.objects.all(), user)
        self.filters["attained_year"].extra["choices"] = _years()
        set_empty_labels(self)

    def filter_q(self, queryset, name, value):
        result = person_search(queryset, value)
        self.search_hint = person_search_hint(value)
        search = person_search_parse(value)
        if search.kind == "name_tail":
            person_search_record(actor=self.user, name=search.name, found=result.count())
        return result

    def filter_employer(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(employer__uscc=value.upper()) | Q(employer__name__contains=value))

    def filter_employer_kind(self, queryset, name, value):
        if value == "none":
            return queryset.filter(employer__isnull=True)
        return queryset.filter(employer__kind=value)

    def filter_attained_year(self, queryset, name, value):
        start = datetime.date(int(value), 1, 1)
        return queryset.filter(
            high_skilled_since__gte=start, high_skilled_since__lt=start.replace(year=start.year + 1)
        )


class CertificateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="证书编号", field_name="number", lookup_expr="startswith")
    cert_type = django_filters.ModelChoiceFilter(label="证书类型", queryset=None)
    level = django_filters.ModelChoiceFilter(label="等级", queryset=SkillLevel.objects.all())
    status = django_filters.ChoiceFilter(label="状态", choices=CertificateStatus.choices)
    region = django_filters.ModelChoiceFilter(
        label="县区", field_name="person__region", queryset=Region.objects.none()
    )
    issued_from = django_filters.DateFilter(
        label="发证日期起",
        field_name="issue_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    issued_to = django_filters.DateFilter(
        label="发证日期止",
        field_name="issue_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Certificate
        fields = ["q", "cert_type", "level", "status", "region"]

    def __init__(self, *args, user, **kwargs):
        from gongjiang.core.models import CertificateType

        super().__init__(*args, **kwargs)
        self.filters["cert_type"].queryset = CertificateType.objects.all()
        self.filters["region"].queryset = scope(Region.objects.all(), user)
        set_empty_labels(self)
