import django_filters
from django import forms

from gongjiang.common.forms import set_empty_labels

from .choices import AuditResult
from .models import AuditEntry


class AuditEntryFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label="用户名", lookup_expr="iexact")
    action = django_filters.CharFilter(label="操作", lookup_expr="startswith")
    object_type = django_filters.CharFilter(label="对象类型", lookup_expr="exact")
    object_id = django_filters.CharFilter(label="对象编号", lookup_expr="exact")
    result = django_filters.ChoiceFilter(label="结果", choices=AuditResult.choices)
    address = django_filters.CharFilter(label="地址")
    since = django_filters.DateFilter(
        label="起始日期",
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label="截止日期",
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["username", "action", "object_type", "object_id", "result"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)
