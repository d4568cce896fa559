import django_filters
from django import forms
from django.apps import apps

from gongjiang.common.forms import set_empty_labels

from .choices import AUDIT_ACTION_LABELS, AuditResult
from .models import AuditEntry, User


class AuditEntryFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label="用户名", lookup_expr="iexact")
    action = django_filters.ChoiceFilter(label="操作", choices=[])
    object_type = django_filters.ChoiceFilter(label="对象类型", choices=[])
    object_id = django_filters.CharFilter(label="对象编号", lookup_expr="exact")
    result = django_filters.ChoiceFilter(label="结果", choices=AuditResult.choices)
    address = django_filters.CharFilter(label="地址", method="filter_address")
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
        self.filters["action"].extra["choices"] = sorted(
            AUDIT_ACTION_LABELS.items(), key=lambda item: (item[0].split(".")[0], item[0])
        )
        self.filters["object_type"].extra["choices"] = _object_types()
        set_empty_labels(self)

    def filter_address(self, queryset, name, value):
        # Not an address: nothing matches (PostgreSQL's inet column would refuse the comparison).
        value = value.strip()
        return queryset.filter(address=value) if _is_address(value) else queryset.none()


def _object_types() -> list[tuple[str, str]]:
    """The product's models, by their Chinese names (what audit rows name as object type)."""
    models = [m for m in apps.get_models() if m.__module__.startswith("gongjiang.")]
    return sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name)) for m in models), key=lambda item: item[0]
    )


def _is_address(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class UserFilterSet(django_filters.FilterSet):
    username = django_filters.CharFilter(label="用户名", lookup_expr="icontains")
    role = django_filters.ChoiceFilter(label="角色", choices=[])
    is_active = django_filters.BooleanFilter(
        label="允许登录", widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])
    )

    class Meta:
        model = User
        fields = ["username", "role", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        from .choices import Role

        super().__init__(*args, **kwargs)
        self.filters["role"].extra["choices"] = Role.choices
        set_empty_labels(self)
