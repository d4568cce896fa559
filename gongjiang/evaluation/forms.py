"""Forms of skill evaluation: parsing and field rules; the workflow rules are the services'."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongjiang.common.forms import bootstrapify
from gongjiang.core.models import Occupation, SkillLevel
from gongjiang.core.validators import normalise_resident_id, normalise_uscc
from gongjiang.orgs.models import Organisation

from .choices import CandidateResult, InstitutionType
from .models import AppointmentRule, Batch, Candidate, Filing
from .services import AppointmentData, BatchData, FilingData, batch_levels, filing_levels, score_check


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _occupations():
    return Occupation.objects.filter(kind__in=["minor", "occupation"])


class FilingForm(forms.ModelForm):
    """A filing. The city names the organisation by its credit code; an organisation operator
    files for its own organisation; the organisation of an existing filing never changes."""

    uscc = forms.CharField(
        label="评价机构统一社会信用代码", max_length=40, help_text="须为已登记的单位（在“单位”中登记）"
    )
    field_order = ["uscc", "institution_type", "occupations", "levels", "valid_from", "valid_to"]

    class Meta:
        model = Filing
        fields = ["institution_type", "occupations", "levels", "valid_from", "valid_to"]
        widgets = {
            "occupations": forms.SelectMultiple(attrs={"size": 10}),
            "levels": forms.SelectMultiple(attrs={"size": 7}),
            "valid_from": DateInput(),
            "valid_to": DateInput(),
        }
        help_texts = {
            "occupations": "按住 Ctrl（Mac 为 ⌘）可多选",
            "levels": "特级技师、首席技师只由用人单位备案评聘",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["occupations"].queryset = _occupations()
        self.fields["levels"].queryset = filing_levels()
        self.fields["institution_type"].choices = [("", "请选择"), *InstitutionType.choices]
        if self.instance.pk or user.organisation_id:
            del self.fields["uscc"]
        bootstrapify(self)

    def clean_uscc(self) -> int:
        code = normalise_uscc(self.cleaned_data["uscc"])
        org = Organisation.objects.filter(uscc=code).first()
        if org is None:
            raise ValidationError("统一社会信用代码为 %s 的单位尚未登记，请先在“单位”中登记" % code)
        return org.pk

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "有效期止不能早于有效期起")
        return data

    def to_data(self) -> FilingData:
        c = self.cleaned_data
        if self.instance.pk:
            organisation_id = self.instance.organisation_id
        else:
            organisation_id = c.get("uscc") or self.user.organisation_id
        return FilingData(
            organisation_id=organisation_id,
            institution_type=c["institution_type"],
            occupation_ids=[o.pk for o in c["occupations"]],
            level_ids=[lv.pk for lv in c["levels"]],
            valid_from=c["valid_from"],
            valid_to=c["valid_to"],
        )


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["name", "occupation", "level", "exam_date"]
        widgets = {"exam_date": DateInput()}
        help_texts = {
            "name": "如：2026年第四季度焊工技师认定",
            "occupation": "须在本机构备案的评价职业范围内",
            "exam_date": "须在备案有效期内",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = _occupations()
        self.fields["level"].queryset = batch_levels()
        bootstrapify(self)

    def to_data(self) -> BatchData:
        c = self.cleaned_data
        return BatchData(
            name=c["name"], occupation_id=c["occupation"].pk, level_id=c["level"].pk, exam_date=c["exam_date"]
        )


class CandidateAddForm(forms.Form):
    id_number = forms.CharField(
        label="考生身份证号",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "18位身份证号", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)

    def clean_id_number(self) -> str:
        return normalise_resident_id(self.cleaned_data["id_number"]).number


class ResultsForm(forms.Form):
    """One result and score per candidate of a batch (fields ``result_<id>``, ``score_<id>``)."""

    def __init__(self, *args, candidates: list[Candidate], **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        choices = [("", "未录入"), *CandidateResult.choices]
        for c in candidates:
            result_label, score_label = "%s 考核结果" % c.person.name, "%s 成绩" % c.person.name
            self.fields["result_%d" % c.pk] = forms.ChoiceField(
                label=result_label,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"aria-label": result_label}),
            )
            self.fields["score_%d" % c.pk] = forms.DecimalField(
                label=score_label,
                max_digits=4,
                decimal_places=1,
                required=False,
                widget=forms.NumberInput(
                    attrs={"aria-label": score_label, "step": "0.1", "min": "0", "max": "100"}
                ),
            )
            self.initial.setdefault(
                "result_%d" % c.pk,
                {True: CandidateResult.PASS, False: CandidateResult.FAIL}.get(c.passed, ""),
            )
            self.initial.setdefault("score_%d" % c.pk, c.score)
        bootstrapify(self, small=True)

    def clean(self):
        data = super().clean()
        for c in self.candidates:
            try:
                score_check(data.get("score_%d" % c.pk))
            except ValidationError as exc:
                self.add_error("score_%d" % c.pk, exc)
        return data

    def rows(self):
        for c in self.candidates:
            yield c, self["result_%d" % c.pk], self["score_%d" % c.pk]

    def results(self) -> dict:
        c = self.cleaned_data
        passed = {CandidateResult.PASS: True, CandidateResult.FAIL: False}
        return {
            cand.pk: (passed.get(c.get("result_%d" % cand.pk)), c.get("score_%d" % cand.pk))
            for cand in self.candidates
        }


class AppointmentForm(forms.Form):
    id_number = forms.CharField(
        label="受聘人身份证号", max_length=40, help_text="须为本单位职工（以人才库登记为准）"
    )
    level = forms.ModelChoiceField(label="聘任等级", queryset=SkillLevel.objects.none())
    occupation = forms.ModelChoiceField(label="职业（工种）", queryset=Occupation.objects.none())
    appointed_on = forms.DateField(label="聘任日期", widget=DateInput())
    term_end = forms.DateField(label="聘期至", widget=DateInput(), required=False, help_text="不定期聘任留空")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = SkillLevel.objects.filter(
            pk__in=AppointmentRule.objects.values("level")
        ).order_by("rank")
        self.fields["level"].help_text = "；".join(
            "聘任%s须持有%s证书" % (r.level.name, r.prerequisite.name)
            for r in AppointmentRule.objects.select_related("level", "prerequisite")
        )
        self.fields["occupation"].queryset = _occupations()
        bootstrapify(self)

    def clean_id_number(self) -> str:
        return normalise_resident_id(self.cleaned_data["id_number"]).number

    def clean(self):
        data = super().clean()
        start, end = data.get("appointed_on"), data.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", "聘期结束日期须晚于聘任日期")
        return data

    def to_data(self) -> AppointmentData:
        c = self.cleaned_data
        return AppointmentData(
            id_number=c["id_number"],
            level_id=c["level"].pk,
            occupation_id=c["occupation"].pk,
            appointed_on=c["appointed_on"],
            term_end=c.get("term_end"),
        )
