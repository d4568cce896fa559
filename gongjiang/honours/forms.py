"""Forms of honours: parsing and field rules; every write is a service."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongjiang.common.forms import bootstrapify
from gongjiang.core.validators import normalise_resident_id
from gongjiang.talents.models import Person
from gongjiang.talents.services import resident_id_digest

from .models import SelectionRound
from .services import NominationData


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SelectionRoundForm(forms.ModelForm):
    class Meta:
        model = SelectionRound
        fields = ["title", "year", "name", "quota", "nominations_close", "publicity_start", "publicity_end"]
        widgets = {f: _DateInput() for f in ("nominations_close", "publicity_start", "publicity_end")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].queryset = self.fields["title"].queryset.filter(by_competition=False)
        bootstrapify(self)


class NominationForm(forms.Form):
    id_number = forms.CharField(
        label="被推荐人身份证号",
        max_length=40,
        help_text="须为人才库中本单位（本县区）的人员；推荐时自动附上其证书、获奖和领办载体记录",
    )
    in_post_since = forms.DateField(label="任现职起始日期", widget=_DateInput())
    merits = forms.CharField(label="主要事迹", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrapify(self)

    def clean_id_number(self) -> Person:
        try:
            rid = normalise_resident_id(self.cleaned_data["id_number"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        person = Person.objects.for_user(self.user).filter(id_digest=resident_id_digest(rid.number)).first()
        if person is None:
            raise ValidationError("人才库中没有该身份证号的人员，或该人员不在您的数据范围内")
        return person

    def to_data(self) -> NominationData:
        return NominationData(
            person=self.cleaned_data["id_number"],
            in_post_since=self.cleaned_data["in_post_since"],
            merits=self.cleaned_data["merits"],
        )
