import django_filters
from django import forms
from django.db.models import Q

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import YearFilter, set_empty_labels
from gongjiang.core.models import Domain, Region

from .choices import OrgKind
from .models import Organisation, WageReport

_YES_NO = forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="名称或信用代码", method="filter_q")
    kind = django_filters.ChoiceFilter(label="类别", choices=OrgKind.choices)
    region = django_filters.ModelChoiceFilter(label="县区", queryset=Region.objects.none())
    domain = django_filters.ModelChoiceFilter(label="重点领域", queryset=Domain.objects.all())
    is_chain_leader = django_filters.BooleanFilter(label="链主企业", widget=_YES_NO)
    is_industry_leader = django_filters.BooleanFilter(label="行业龙头", widget=_YES_NO)
    is_specialised = django_filters.BooleanFilter(label="专精特新", widget=_YES_NO)
    is_state_owned = django_filters.BooleanFilter(label="国有企业", widget=_YES_NO)

    class Meta:
        model = Organisation
        fields = ["q", "kind", "region", "domain"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.all(), user)
        set_empty_labels(self)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__contains=value) | Q(uscc=value.upper()))


class WageReportFilterSet(django_filters.FilterSet):
    """Filters of the wage report list; ``judged`` and ``complies`` are the computed columns
    (``selectors.with_growth``), so the dashboard's drill-down is a filter of this list."""

    q = django_filters.CharFilter(label="企业名称或信用代码", method="filter_q")
    year = YearFilter(label="年度")
    region = django_filters.ModelChoiceFilter(
        label="县区", field_name="organisation__region", queryset=Region.objects.none()
    )
    is_state_owned = django_filters.BooleanFilter(
        label="国有企业", field_name="organisation__is_state_owned", widget=_YES_NO
    )
    judged = django_filters.BooleanFilter(label="可比较（有上年报告）", widget=_YES_NO)
    complies = django_filters.BooleanFilter(label="增幅达标", widget=_YES_NO)
    has_annuity = django_filters.BooleanFilter(label="企业年金", widget=_YES_NO)

    class Meta:
        model = WageReport
        fields = ["q", "year", "region", "is_state_owned", "judged", "complies", "has_annuity"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = scope(Region.objects.exclude(kind="city"), user)
        set_empty_labels(self)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(organisation__name__contains=value) | Q(organisation__uscc=value.upper()))
