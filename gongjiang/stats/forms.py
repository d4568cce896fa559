"""Forms of the stats app."""

from __future__ import annotations

import datetime

from django import forms

from gongjiang.core.models import Region

from .models import OfficialTotal


class OfficialTotalForm(forms.ModelForm):
    """The city admin enters the official number of 技能劳动者 of a region (or the city) in a year;
    a second entry for the same region and year corrects the first."""

    class Meta:
        model = OfficialTotal
        fields = ["region", "year", "skilled_workers", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("sort_order", "code")
        self.fields["region"].empty_label = "请选择县区或全市"
        self.fields["year"].initial = datetime.date.today().year

    def validate_unique(self):
        # One row per region and year is kept by the service (it updates the existing row).
        pass

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
