"""Forms of the plan: parsing and field validation only (the services save)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gongjiang.common.forms import bootstrapify
from gongjiang.core import policy
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Organisation
from gongjiang.workflow.forms import AttachmentsField

from .choices import IndicatorCode
from .models import FundingSource, Measure, Milestone

_SMALL = {"class": "form-control form-control-sm"}


def _departments():
    return Organisation.objects.filter(kind=OrgKind.DEPARTMENT).order_by("name")


class TaskForm(forms.Form):
    measure = forms.ModelChoiceField(label="措施", queryset=Measure.objects.all(), empty_label="请选择")
    title = forms.CharField(label="任务", max_length=120)
    description = forms.CharField(label="任务内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label="牵头部门", queryset=_departments(), empty_label="请选择")
    supporting = forms.ModelMultipleChoiceField(
        label="配合部门",
        queryset=_departments(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    indicator = forms.ChoiceField(
        label="对应驾驶舱指标", choices=[("", "（无）"), *IndicatorCode.choices], required=False
    )
    target = forms.CharField(label="可量化目标", max_length=120, required=False)
    target_value = forms.DecimalField(label="目标值", required=False, max_digits=14, decimal_places=4)
    evidence = forms.CharField(label="佐证材料要求", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _departments()
        self.fields["supporting"].queryset = _departments()
        for year in policy.PLAN_YEARS:
            self.fields["milestone_%d" % year] = forms.CharField(
                label="%d年里程碑" % year, max_length=200, required=False
            )
            self.fields["value_%d" % year] = forms.DecimalField(
                label="%d年目标值" % year, required=False, max_digits=14, decimal_places=4
            )
        bootstrapify(self)

    def milestones(self) -> dict:
        c = self.cleaned_data
        return {
            year: (c.get("milestone_%d" % year) or "", c.get("value_%d" % year))
            for year in policy.PLAN_YEARS
            if c.get("milestone_%d" % year)
        }


class ReportForm(forms.Form):
    text = forms.CharField(label="本季度工作进展", widget=forms.Textarea(attrs={"rows": 4, **_SMALL}))
    figure = forms.DecimalField(
        label="本期数据",
        required=False,
        max_digits=14,
        decimal_places=4,
        widget=forms.NumberInput(attrs=_SMALL),
    )
    milestone = forms.ModelChoiceField(
        label="本期完成的年度里程碑", queryset=Milestone.objects.none(), required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )  # fmt: skip
    files = AttachmentsField()

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = report.task.milestones.filter(met_on__isnull=True).order_by(
            "year"
        )
        self.fields["milestone"].empty_label = "（无）"
        if report.task.target:
            self.fields["figure"].help_text = "任务目标：%s" % report.task.target


class BudgetForm(forms.Form):
    source = forms.ModelChoiceField(
        label="资金来源", queryset=FundingSource.objects.all(), empty_label="请选择"
    )
    measure = forms.ModelChoiceField(label="措施", queryset=Measure.objects.all(), empty_label="请选择")
    year = forms.TypedChoiceField(
        label="年度", coerce=int, choices=[(y, "%d年" % y) for y in policy.PLAN_YEARS]
    )
    amount = forms.DecimalField(label="预算（元）", max_digits=14, decimal_places=2, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class SpendingForm(forms.Form):
    source = forms.ModelChoiceField(
        label="资金来源", queryset=FundingSource.objects.all(), empty_label="请选择"
    )
    measure = forms.ModelChoiceField(label="措施", queryset=Measure.objects.all(), empty_label="请选择")
    spent_on = forms.DateField(label="支出日期", widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2, min_value=0)
    description = forms.CharField(label="用途", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)

    def clean_spent_on(self):
        value = self.cleaned_data["spent_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("支出日期不能晚于今天")
        return value


class SpendingReverseForm(forms.Form):
    reason = forms.CharField(
        label="冲销事由",
        max_length=80,
        min_length=2,
        help_text="将录入一条金额相反、日期相同的冲销记录，原记录保留；冲销后不能撤回。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class TaskEditForm(forms.Form):
    description = forms.CharField(label="任务内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.CharField(label="可量化目标", max_length=120, required=False)
    target_value = forms.DecimalField(label="目标值", required=False, max_digits=14, decimal_places=4)
    evidence = forms.CharField(label="佐证材料要求", max_length=300, required=False)

    def __init__(self, *args, task, **kwargs):
        met = {m.year: m for m in task.milestones.all()}
        initial = {
            "description": task.description,
            "target": task.target,
            "target_value": task.target_value,
            "evidence": task.evidence,
        }
        for year, m in met.items():
            initial["milestone_%d" % year], initial["value_%d" % year] = m.description, m.target_value
        super().__init__(*args, initial=initial, **kwargs)
        for year in policy.PLAN_YEARS:
            done = met.get(year) is not None and met[year].met_on is not None
            self.fields["milestone_%d" % year] = forms.CharField(
                label="%d年里程碑%s" % (year, "（已完成）" if done else ""),
                max_length=200,
                required=done,
                disabled=done,
            )
            self.fields["value_%d" % year] = forms.DecimalField(
                label="%d年目标值" % year, required=False, max_digits=14, decimal_places=4, disabled=done
            )
        bootstrapify(self)

    milestones = TaskForm.milestones
