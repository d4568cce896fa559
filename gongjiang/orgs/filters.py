import django_filters
from django import forms
from django.db.models import Q

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import set_empty_labels
from gongjiang.core.models import Domain, Region

from .choices import OrgKind
from .models import Organisation

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
