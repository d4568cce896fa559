"""Forms of the schools app: parsing and field rules (the models' ``clean`` adds the one-row rules,
in Chinese, at their fields); saving is done by the services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongjiang.accounts.scope import restrict_form_fields
from gongjiang.common.forms import bootstrapify
from gongjiang.core.validators import normalise_resident_id, normalise_uscc
from gongjiang.talents.forms import DateInput
from gongjiang.talents.selectors import person_list, person_search

from .choices import SCHOOL_KINDS
from .models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher


def _prepare(form: forms.BaseForm, user) -> None:
    """Dropdowns narrowed to the user's scope (and to schools), Bootstrap looks."""
    restrict_form_fields(form, user)
    if "school" in form.fields:
        form.fields["school"].queryset = form.fields["school"].queryset.filter(kind__in=SCHOOL_KINDS)
        form.fields["school"].empty_label = "请选择学校"
    bootstrapify(form)


class TeacherCreateForm(forms.ModelForm):
    id_number = forms.CharField(
        label="身份证号",
        max_length=40,
        help_text="须是人才库中已登记的人员；尚未登记的请先登记人员，或用“职业院校教师名册”批量导入",
    )
    field_order = ["school", "id_number", "category", "subject"]

    class Meta:
        model = Teacher
        fields = ["school", "category", "subject"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        _prepare(self, user)

    def clean_id_number(self):
        number = normalise_resident_id(self.cleaned_data["id_number"]).number
        person = person_search(person_list(user=self.user), number).first()
        if person is None:
            raise ValidationError("人才库中没有找到该身份证号的人员（或不在您的数据范围内），请先登记人员")
        self.person = person
        return number

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {
            "school": c["school"],
            "person": self.person,
            "category": c["category"],
            "subject": c["subject"],
        }


class TeacherUpdateForm(forms.ModelForm):
    class Meta:
        model = Teacher
        fields = ["category", "subject", "left_on"]
        widgets = {"left_on": DateInput()}
        help_texts = {"left_on": "教师调离或不再任教时填写；离任后不计入本校比例"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _prepare(self, user)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class DemonstrationForm(forms.ModelForm):
    class Meta:
        model = DemonstrationSchool
        fields = ["school", "year", "status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["school"]  # the school of a record stays; a new school is a new record
        _prepare(self, user)
        if "school" in self.fields:
            self.fields["school"].queryset = self.fields["school"].queryset.filter(demonstration__isnull=True)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_on", "done_on", "evidence"]
        widgets = {
            "due_on": DateInput(),
            "done_on": DateInput(),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"done_on": "完成后填写，同时填写佐证材料说明"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _prepare(self, user)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class PracticeForm(forms.ModelForm):
    class Meta:
        model = EnterprisePractice
        fields = ["host_name", "host_uscc", "start_on", "end_on", "days", "content"]
        widgets = {"start_on": DateInput(), "end_on": DateInput()}
        help_texts = {"days": "实际在企业实践的天数，不超过开始至结束日期的天数", "host_uscc": "选填"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _prepare(self, user)

    def clean_host_uscc(self) -> str:
        value = self.cleaned_data.get("host_uscc", "")
        return normalise_uscc(value) if value.strip() else ""

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = [
            "school",
            "year",
            "training_sessions",
            "training_trainees",
            "training_income",
            "graduates",
            "graduates_certified",
        ]
        help_texts = {
            "training_income": "有偿性社会培训取得的收入",
            "graduates_certified": "同时取得职业技能等级证书（或职业资格证书）的毕业生，用于计算双证率",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["school"]
            del self.fields["year"]
        _prepare(self, user)

    def validate_unique(self):
        # One row per school and year: the service says so in words; skip Django's generic message.
        pass

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
