"""Forms of the portal: parsing and field rules only; the services do the rest."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordMixin

from gongjiang.common.forms import bootstrapify
from gongjiang.core.models import CertificateType, SkillLevel
from gongjiang.core.validators import normalise_resident_id
from gongjiang.talents.forms import DateInput
from gongjiang.talents.models import Certificate
from gongjiang.workflow.forms import AttachmentsField, StepForm

from .choices import CERTIFICATE_FIELDS, PERSON_FIELDS, CorrectionKind
from .services import CorrectionData


class VerifyForm(forms.Form):
    number = forms.CharField(label="证书编号", max_length=40)
    name = forms.CharField(label="持证人姓名", max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
        self.fields["number"].widget.attrs.update({"autocomplete": "off", "inputmode": "latin"})
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})


class CorrectionForm(forms.Form):
    """A talent's correction request; ``kind`` decides which fields are asked for."""

    certificate = forms.ModelChoiceField(label="有误的证书", queryset=Certificate.objects.none())
    field = forms.ChoiceField(label="有误的项目")
    proposed_value = forms.CharField(
        label="应更正为", max_length=200, required=False, help_text="日期请按 2026-03-01 的格式填写"
    )
    cert_type = forms.ModelChoiceField(label="证书类型", queryset=CertificateType.objects.all())
    level = forms.ModelChoiceField(label="技能等级", queryset=SkillLevel.objects.all(), required=False)
    cert_number = forms.CharField(label="证书编号", max_length=40)
    issuer = forms.CharField(label="发证机构", max_length=120)
    issue_date = forms.DateField(label="发证日期", widget=DateInput())
    valid_until = forms.DateField(label="有效期至", widget=DateInput(), required=False)
    occupation_name = forms.CharField(label="职业（工种）", max_length=80, required=False)
    explanation = forms.CharField(
        label="说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    files = AttachmentsField(help_text="证书照片、扫描件或证明材料（PDF、图片），每个不超过 20 MB")

    KIND_FIELDS = {
        CorrectionKind.PERSON: ("field", "proposed_value", "explanation", "files"),
        CorrectionKind.CERTIFICATE: ("certificate", "field", "proposed_value", "explanation", "files"),
        CorrectionKind.MISSING: (
            "cert_type",
            "level",
            "occupation_name",
            "cert_number",
            "issuer",
            "issue_date",
            "valid_until",
            "explanation",
            "files",
        ),
    }

    def __init__(self, *args, kind: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in self.KIND_FIELDS[kind]:
                del self.fields[name]
        if "certificate" in self.fields:
            self.fields["certificate"].queryset = (
                Certificate.objects.for_user(user, "view").filter(person__user=user).select_related("level")
            )
            self.fields["certificate"].label_from_instance = lambda c: (
                "%s %s（%s）"
                % (
                    c.level or "无等级",
                    c.occupation_name,
                    c.number,
                )
            )
        if "field" in self.fields:
            names = PERSON_FIELDS if kind == CorrectionKind.PERSON else CERTIFICATE_FIELDS
            self.fields["field"].choices = [(f.value, f.label) for f in names]
        if kind == CorrectionKind.MISSING:
            self.fields["files"].required = True
            self.fields["cert_type"].empty_label = "请选择"
            self.fields["level"].empty_label = "无等级（专项职业能力证书）"
        if "certificate" in self.fields:
            self.fields["certificate"].empty_label = "请选择"
        bootstrapify(self)

    def to_data(self) -> CorrectionData:
        c = self.cleaned_data
        return CorrectionData(
            kind=self.kind,
            certificate_id=c["certificate"].pk if c.get("certificate") else None,
            field=c.get("field", ""),
            proposed_value=c.get("proposed_value", ""),
            explanation=c.get("explanation", ""),
            cert_type_id=c["cert_type"].pk if c.get("cert_type") else None,
            level_id=c["level"].pk if c.get("level") else None,
            cert_number=c.get("cert_number", ""),
            issuer=c.get("issuer", ""),
            issue_date=c.get("issue_date"),
            valid_until=c.get("valid_until"),
            occupation_name=c.get("occupation_name", ""),
        )


class CorrectionResubmitForm(StepForm):
    """补正: a note, files, and (for a field) the value again."""

    proposed_value = forms.CharField(label="应更正为（如需修改）", max_length=200, required=False)


class TalentRegisterForm(SetPasswordMixin, forms.Form):
    """Self-registration: what proves the holder (name, ID, a certificate number) and the account."""

    name = forms.CharField(label="姓名", max_length=40)
    id_number = forms.CharField(label="身份证号", max_length=40, help_text="18位居民身份证号码")
    certificate_number = forms.CharField(
        label="证书编号", max_length=40, help_text="您持有的任意一张技能证书的编号"
    )
    username = forms.CharField(label="用户名", max_length=40, help_text="登录时使用，字母、数字或下划线")
    password1, password2 = SetPasswordMixin.create_password_fields(label1="密码", label2="确认密码")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = "至少12位，包含小写字母、大写字母、数字、符号中的三类，不能包含身份证号"
        for name in ("name", "id_number", "certificate_number"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        bootstrapify(self)

    def clean_id_number(self) -> str:
        return normalise_resident_id(self.cleaned_data["id_number"]).number

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not username.replace("_", "").isalnum() or not username.isascii():
            raise forms.ValidationError("用户名只能由字母、数字和下划线组成")
        return username

    def clean(self):
        self.validate_passwords()
        return super().clean()


class ShareLinkForm(forms.Form):
    days = forms.TypedChoiceField(
        label="有效期",
        coerce=int,
        choices=[(1, "1 天"), (3, "3 天"), (7, "7 天"), (14, "14 天"), (30, "30 天")],
        initial=7,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)
