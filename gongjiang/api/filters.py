import django_filters

from gongjiang.common.forms import set_empty_labels

from .models import ApiToken


class ApiTokenFilterSet(django_filters.FilterSet):
    user = django_filters.CharFilter(label="账号", field_name="user__username", lookup_expr="iexact")
    revoked = django_filters.BooleanFilter(
        label="已撤销", field_name="revoked_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = ApiToken
        fields = ["user", "revoked"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        set_empty_labels(self)
