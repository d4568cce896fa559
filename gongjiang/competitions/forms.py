"""Forms of competitions: parsing and field rules; every write is a service."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongjiang.common.forms import bootstrapify
from gongjiang.core.models import Occupation, SkillLevel
from gongjiang.core.validators import normalise_resident_id
from gongjiang.talents.models import Person
from gongjiang.talents.services import resident_id_digest

from .choices import Award
from .models import AwardRule, Competition, Event


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CompetitionForm(forms.ModelForm):
    class Meta:
        model = Competition
        fields = ["name", "tier", "year", "organiser", "held_on", "awards_youth_title", "awards_women_title"]
        widgets = {"held_on": _DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["name", "occupation", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = Occupation.objects.filter(kind__in=["minor", "occupation"])
        bootstrapify(self)


class AwardRuleForm(forms.ModelForm):
    """A rule; the title fields offer the honour titles' codes (passed in by the page, which may read
    the honours registry: this app may not)."""

    class Meta:
        model = AwardRule
        fields = [
            "tier",
            "award",
            "year_from",
            "title_code",
            "youth_title_code",
            "women_title_code",
            "prize",
            "promotion",
            "promotion_level",
            "note",
        ]

    def __init__(self, *args, titles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "（不授予）"), *titles]
        for name in ("title_code", "youth_title_code", "women_title_code"):
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label,
                choices=choices,
                required=False,
                help_text=self.fields[name].help_text,
            )
        self.fields["promotion_level"].queryset = SkillLevel.objects.filter(
            code__in=["GRADE4", "GRADE3", "GRADE2", "GRADE1"]
        )
        bootstrapify(self)


class ResultForm(forms.Form):
    id_number = forms.CharField(label="选手身份证号", max_length=40)
    rank = forms.IntegerField(label="名次", min_value=1, required=False)
    award = forms.ChoiceField(label="奖项", choices=Award.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrapify(self, small=True)

    def clean_id_number(self) -> Person:
        try:
            rid = normalise_resident_id(self.cleaned_data["id_number"])
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        person = Person.objects.for_user(self.user).filter(id_digest=resident_id_digest(rid.number)).first()
        if person is None:
            raise ValidationError("人才库中没有该身份证号的人员，请先登记人员")
        return person
