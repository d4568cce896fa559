from __future__ import annotations

from django import forms

from gongjiang.accounts.models import User
from gongjiang.common.forms import bootstrapify


class ApiTokenForm(forms.Form):
    user = forms.ModelChoiceField(
        label="令牌代表的账号",
        queryset=User.objects.none(),
        help_text="令牌以该账号的角色、权限和数据范围调用接口；为单位签发时选择该单位的单位用户账号",
    )
    name = forms.CharField(label="用途", max_length=100, help_text="如：省技能人才评价系统对接")
    days = forms.IntegerField(
        label="有效天数",
        min_value=1,
        max_value=3660,
        required=False,
        help_text="不填为长期有效（可随时撤销）",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True).select_related("organisation", "region").order_by("username")
        )
        self.fields["user"].label_from_instance = lambda u: (
            "%s（%s%s）"
            % (
                u.username,
                u.get_role_display(),
                "，" + u.organisation.name
                if u.organisation_id
                else ("，" + u.region.name if u.region_id else ""),
            )
        )
        bootstrapify(self)


class ApiTokenRevokeForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
