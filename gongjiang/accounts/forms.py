from django import forms
from django.contrib.auth.forms import AuthenticationForm

from gongjiang.common.forms import bootstrapify


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message for unknown user and wrong password: it must not tell which it was.
        "invalid_login": "用户名或密码不正确",
        "inactive": "用户名或密码不正确",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"class": "form-control", "autofocus": True})
        self.fields["password"].widget.attrs.update({"class": "form-control"})


class AccountForm(forms.Form):
    """An account's one role and its binding (the security administrator's form). No names, ID or
    phone numbers: the security administrator sees no personal data."""

    username = forms.CharField(label="用户名", max_length=150)
    role = forms.ChoiceField(label="角色")
    region = forms.ModelChoiceField(
        label="所属县区", queryset=None, required=False, help_text="县区管理员填写"
    )
    organisation_uscc = forms.CharField(
        label="所属单位/部门统一社会信用代码",
        max_length=40,
        required=False,
        help_text="单位用户、部门用户填写",
    )
    is_active = forms.BooleanField(label="允许登录", required=False, initial=True)
    reset_password = forms.BooleanField(label="重置密码（生成新的一次性密码）", required=False)

    def __init__(self, *args, user, instance=None, **kwargs):
        from gongjiang.core.models import Region

        from .choices import Role
        from .scope import restrict_form_fields

        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "username": instance.username,
                    "role": instance.role,
                    "region": instance.region_id,
                    "organisation_uscc": instance.organisation.uscc if instance.organisation_id else "",
                    "is_active": instance.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        self.fields["region"].queryset = Region.objects.order_by("code")
        restrict_form_fields(self, user)
        if instance is None:
            del self.fields["is_active"], self.fields["reset_password"]
        else:
            self.fields["username"].disabled = True
        bootstrapify(self)

    def clean_organisation_uscc(self):
        from .models import User

        value = self.cleaned_data.get("organisation_uscc", "").strip().upper()
        if not value:
            return None
        organisation = User._meta.get_field("organisation").related_model.objects.filter(uscc=value).first()
        if organisation is None:
            raise forms.ValidationError("没有找到该统一社会信用代码的单位")
        return organisation.pk
