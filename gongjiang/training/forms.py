"""Forms of training: catalogue entries (dropdowns offer only what the user may edit), the subsidy
claim (trainees pasted one per line) and the enterprise's yearly record."""

from __future__ import annotations

import re

from django import forms

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import bootstrapify
from gongjiang.core.models import Domain, Occupation, Region
from gongjiang.orgs.models import Organisation
from gongjiang.workflow.forms import AttachmentsField

from .choices import ResourceKind, SubsidyKind
from .models import ChainTraining, Course, EnterpriseTraining, Provider, Schedule, Teacher
from .services import Trainee

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = [
            "organisation",
            "name",
            "kind",
            "region",
            "domains",
            "facilities",
            "capacity",
            "accreditation",
            "address",
            "phone",
            "published",
        ]
        widgets = {"domains": forms.CheckboxSelectMultiple, "facilities": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scope(Organisation.objects.all(), user, "view")
        self.fields["region"].queryset = Region.objects.exclude(kind="city")
        self.fields["domains"].queryset = Domain.objects.all()
        bootstrapify(self, small=True)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "provider",
            "name",
            "occupation",
            "level",
            "domain",
            "hours",
            "price",
            "certificate_type",
            "subsidy_class",
            "description",
            "published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.for_user(user, "change")
        self.fields["occupation"].queryset = Occupation.objects.exclude(kind__in=("major", "middle"))
        bootstrapify(self, small=True)


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = Schedule
        fields = ["starts_on", "ends_on", "place", "seats"]
        widgets = {"starts_on": _DATE, "ends_on": _DATE}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "结业日期不能早于开班日期")
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)


class TeacherForm(forms.ModelForm):
    resident_id = forms.CharField(
        label="人才库身份证号",
        max_length=40,
        required=False,
        help_text="教师已在人才库中的，填写后关联其技能档案",
    )

    class Meta:
        model = Teacher
        fields = ["name", "speciality", "title", "shareable"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)


_SPLIT = re.compile(r"[\s,，;；]+")


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label="补贴种类", choices=SubsidyKind.choices)
    schedule = forms.ModelChoiceField(label="培训班次", queryset=Schedule.objects.none())
    bank_name = forms.CharField(label="开户银行", max_length=60, help_text="补贴拨付到申领单位的账户")
    account = forms.CharField(label="银行账号", max_length=40)
    trainees = forms.CharField(
        label="取证学员",
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "张三 320706199001011234 Y320700000000000001"}
        ),
        help_text="每行一名学员：姓名、身份证号、证书编号，以空格或逗号分隔",
    )
    files = AttachmentsField(label="申领材料", help_text="如培训台账、考勤记录；PDF、图片或 Office 文件")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = (
            Schedule.objects.for_user(user, "change")
            .filter(course__certificate_type__isnull=False)
            .select_related("course")
            .order_by("-starts_on")
        )
        self.fields["schedule"].label_from_instance = lambda s: (
            "%s（%s 开班）" % (s.course.name, s.starts_on.isoformat())
        )
        bootstrapify(self, small=True)

    def clean_trainees(self) -> list[Trainee]:
        trainees, errors = [], []
        for number, raw in enumerate(self.cleaned_data["trainees"].splitlines(), start=1):
            parts = [p for p in _SPLIT.split(raw.strip()) if p]
            if not parts:
                continue
            if len(parts) != 3:
                errors.append("第%d行应为“姓名 身份证号 证书编号”三项" % number)
                continue
            trainees.append(Trainee(name=parts[0], resident_id=parts[1], certificate_number=parts[2]))
        if errors:
            raise forms.ValidationError(errors)
        if not trainees:
            raise forms.ValidationError("请至少填写一名学员")
        return trainees


class EnterpriseTrainingForm(forms.ModelForm):
    class Meta:
        model = EnterpriseTraining
        fields = [
            "organisation",
            "year",
            "has_training_system",
            "in_development_plan",
            "in_manager_targets",
            "congress_report_on",
            "trained_primary",
            "trained_intermediate",
            "trained_advanced",
            "trained_technician",
            "education_fund",
        ]
        widgets = {"congress_report_on": _DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scope(
            Organisation.objects.filter(kind="enterprise"), user, "view"
        )
        bootstrapify(self, small=True)


class ChainTrainingForm(forms.ModelForm):
    member_uscc = forms.CharField(label="链上企业统一社会信用代码", max_length=18)

    class Meta:
        model = ChainTraining
        fields = ["staff_trained"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["member_uscc", "staff_trained"])
        bootstrapify(self, small=True)


class SharingRequestForm(forms.Form):
    """A request to a provider of the catalogue (the public catalogue is what is offered, so the
    dropdowns list published providers and their published courses and shareable teachers)."""

    provider = forms.ModelChoiceField(label="共享方", queryset=Provider.objects.none())
    resource = forms.ChoiceField(label="共享资源", choices=ResourceKind.choices)
    course = forms.ModelChoiceField(label="课程", queryset=Course.objects.none(), required=False)
    teacher = forms.ModelChoiceField(label="教师", queryset=Teacher.objects.none(), required=False)
    needed_from = forms.DateField(label="需要开始日期", widget=_DATE)
    needed_to = forms.DateField(label="需要结束日期", widget=_DATE)
    note = forms.CharField(label="需求说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, provider: Provider | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import shareable

        providers, courses, teachers = shareable(exclude_organisation=user.organisation_id, provider=provider)
        self.fields["provider"].queryset = providers
        self.fields["course"].queryset = courses
        self.fields["teacher"].queryset = teachers
        self.fields["course"].label_from_instance = lambda c: "%s（%s）" % (c.name, c.provider.name)
        self.fields["teacher"].label_from_instance = lambda t: "%s（%s）" % (t.name, t.provider.name)
        if provider is not None:
            self.fields["provider"].initial = provider.pk
        bootstrapify(self, small=True)
