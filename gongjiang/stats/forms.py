"""Forms of the stats app."""

from __future__ import annotations

import datetime

from django import forms

from gongjiang.core.models import Region

from .choices import SplitTarget


class OfficialTotalForm(forms.Form):
    """The city admin enters the official number of 技能劳动者 of a region (or the city) in a year;
    a second entry for the same region and year corrects the first (the service updates the row)."""

    region = forms.ModelChoiceField(
        label="县区", queryset=Region.objects.order_by("sort_order", "code"), empty_label="请选择县区或全市"
    )
    year = forms.IntegerField(label="年度")
    skilled_workers = forms.IntegerField(label="技能劳动者总量（人）")
    source = forms.CharField(label="数据来源", max_length=120, required=False, help_text="如：2026年统计年报")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = datetime.date.today().year

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2015 <= year <= datetime.date.today().year + 1:
            raise forms.ValidationError("年度应在2015年至明年之间")
        return year

    def clean_skilled_workers(self):
        value = self.cleaned_data["skilled_workers"]
        if value <= 0:
            raise forms.ValidationError("技能劳动者总量须大于0")
        return value


class TargetSplitForm(forms.Form):
    """The city admin assigns part of a city-wide count target to a county (or a 功能板块); a
    second entry for the same target and county corrects the first."""

    target = forms.ChoiceField(label="指标", choices=SplitTarget.choices)
    region = forms.ModelChoiceField(
        label="县区",
        queryset=Region.objects.exclude(kind="city").order_by("sort_order", "code"),
        empty_label="请选择县区",
    )
    goal = forms.IntegerField(label="分解目标", min_value=0)
