"""Forms of the talent database: parsing and field rules; saving is done by services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongjiang.accounts.scope import restrict_form_fields
from gongjiang.common.forms import bootstrapify
from gongjiang.core.models import CertificateType, SkillLevel
from gongjiang.core.validators import normalise_phone, normalise_resident_id

from .models import Certificate, Person
from .services import PersonData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    id_number = forms.CharField(label="身份证号", max_length=40, help_text="18位居民身份证号码")
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    field_order = [
        "name",
        "id_number",
        "phone",
        "region",
        "employer",
        "occupation",
        "domain",
        "introduced_on",
    ]

    class Meta:
        model = Person
        fields = ["name", "region", "employer", "occupation", "domain", "introduced_on"]
        widgets = {"introduced_on": DateInput()}
        help_texts = {"introduced_on": "从市外引进的人才填写；本地培养的留空"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_form_fields(self, user)
        bootstrapify(self)
        self.fields["occupation"].queryset = self.fields["occupation"].queryset.filter(
            kind__in=["minor", "occupation"]
        )
        if self.instance.pk:
            # The ID is fixed once registered; the phone is shown masked and kept unless replaced.
            del self.fields["id_number"]
            self.fields["phone"].help_text = "当前：%s；留空则不修改" % (
                self.instance.phone_masked or "未登记"
            )

    def clean_id_number(self) -> str:
        return normalise_resident_id(self.cleaned_data["id_number"]).number

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return normalise_phone(value) if value else ""

    def to_data(self) -> PersonData:
        c = self.cleaned_data
        return PersonData(
            name=c["name"],
            id_number=c.get("id_number", ""),
            phone=c.get("phone", ""),
            region_id=c["region"].pk,
            employer_id=c["employer"].pk if c.get("employer") else None,
            occupation_id=c["occupation"].pk if c.get("occupation") else None,
            domain_id=c["domain"].pk if c.get("domain") else None,
            introduced_on=c.get("introduced_on"),
        )


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = [
            "cert_type",
            "level",
            "occupation",
            "number",
            "issuer",
            "issue_date",
            "valid_until",
        ]
        widgets = {"issue_date": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, user, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.person = person
        restrict_form_fields(self, user)
        bootstrapify(self)
        self.fields["cert_type"].queryset = CertificateType.objects.all()
        self.fields["level"].queryset = SkillLevel.objects.exclude(code="APPRENTICE")
        self.fields["occupation"].queryset = self.fields["occupation"].queryset.filter(
            kind__in=["minor", "occupation"]
        )
        self.fields["level"].help_text = "专项职业能力证书不填等级"

    def validate_unique(self):
        try:
            self.instance.validate_unique()
        except ValidationError as exc:
            self._update_errors(
                ValidationError({"number": "该发证机构已登记过这个证书编号"}) if exc.error_dict else exc
            )

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {
            "cert_type_id": c["cert_type"].pk,
            "level_id": c["level"].pk if c.get("level") else None,
            "occupation_id": c["occupation"].pk if c.get("occupation") else None,
            # One field on the form: the occupation from the catalogue, whose name the certificate
            # keeps (imports keep the name as printed, which may not be in the catalogue).
            "occupation_name": c["occupation"].name if c.get("occupation") else "",
            "number": c["number"],
            "issuer": c["issuer"],
            "issue_date": c["issue_date"],
            "valid_until": c.get("valid_until"),
        }


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200, min_length=2)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label="查看事由",
        max_length=200,
        min_length=2,
        widget=forms.TextInput(attrs={"placeholder": "查看事由（必填）", "aria-label": "查看事由"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)
