from django import forms

from gongjiang.accounts.scope import restrict_form_fields
from gongjiang.common.forms import bootstrapify
from gongjiang.core.validators import normalise_uscc

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "uscc",
            "kind",
            "region",
            "domain",
            "size",
            "is_chain_leader",
            "is_industry_leader",
            "is_specialised",
            "is_state_owned",
            "address",
            "contact_name",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_form_fields(self, user)
        bootstrapify(self)

    def clean_uscc(self) -> str:
        return normalise_uscc(self.cleaned_data["uscc"])

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["region_id"] = data.pop("region").pk
        domain = data.pop("domain")
        data["domain_id"] = domain.pk if domain else None
        return data


class WageReportForm(forms.Form):
    """An enterprise's wage report of one year. Numbers are parsed by the same converters as the
    ``wage_reports`` import; the plausibility checks run in the service (``wage_report_check``)."""

    organisation = forms.ModelChoiceField(label="企业", queryset=Organisation.objects.none())
    year = forms.CharField(label="年度", max_length=8)
    staff_count = forms.CharField(label="职工人数", max_length=12)
    staff_avg_wage = forms.CharField(label="职工人均年工资（元）", max_length=14, required=False)
    skilled_count = forms.CharField(label="技能人才人数", max_length=12)
    skilled_avg_wage = forms.CharField(label="技能人才人均年工资（元）", max_length=14, required=False)
    high_skilled_count = forms.CharField(label="高技能人才人数", max_length=12)
    high_skilled_avg_wage = forms.CharField(label="高技能人才人均年工资（元）", max_length=14, required=False)
    principal_count = forms.CharField(label="特级技师、首席技师人数", max_length=12, required=False)
    principal_avg_wage = forms.CharField(
        label="特级技师、首席技师人均年工资（元）", max_length=14, required=False
    )
    senior_title_count = forms.CharField(label="正高级职称人员人数（参照）", max_length=12, required=False)
    senior_title_avg_wage = forms.CharField(
        label="正高级职称人员人均年工资（元，参照）", max_length=14, required=False
    )
    has_annuity = forms.BooleanField(label="已建立企业年金", required=False)

    def __init__(self, *args, user, organisation=None, **kwargs):
        from gongjiang.core.validators import local_today

        from .choices import OrgKind

        super().__init__(*args, **kwargs)
        self.today = local_today()
        self.fields["organisation"].queryset = Organisation.objects.for_user(user, "view").filter(
            kind=OrgKind.ENTERPRISE
        )
        if organisation is not None:  # an enterprise files its own; no choice to make
            self.fields["organisation"].initial = organisation.pk
            self.fields["organisation"].widget = forms.HiddenInput()
        self.fields["year"].initial = self.today.year
        self.fields["year"].help_text = "工资所属年度，如 %d" % self.today.year
        for name, field in self.fields.items():
            if name.endswith(("_count", "_wage")):
                field.widget.attrs["inputmode"] = "numeric"
        self.fields["staff_avg_wage"].help_text = "全年工资总额 ÷ 平均人数；人数为 0 的类别留空"
        bootstrapify(self)

    def clean_year(self):
        from .wages import year

        return year(self.cleaned_data["year"], today=self.today)

    def _clean_number(self, name: str):
        from .wages import count, wage

        convert = count if name.endswith("_count") else wage
        return convert(self.cleaned_data.get(name))

    def clean(self):
        cleaned = super().clean()
        for name in list(self.fields):
            if name.endswith(("_count", "_wage")) and name in cleaned:
                try:
                    cleaned[name] = self._clean_number(name)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        return {"organisation": data.pop("organisation"), "year": data.pop("year"), **data}


class WageSampleForm(forms.Form):
    """Draw N enterprises at random from the year's short list."""

    size = forms.IntegerField(label="抽取数量", min_value=1, max_value=500, initial=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)
