"""Forms of training carriers: parsing and field rules; every write is a service."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from gongjiang.accounts.scope import scope
from gongjiang.common.forms import bootstrapify
from gongjiang.core.models import CarrierType, Domain, Region
from gongjiang.core.validators import normalise_resident_id, normalise_uscc
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Person
from gongjiang.talents.services import resident_id_digest
from gongjiang.workflow.forms import AttachmentsField

from .choices import LEVEL_RANK, AssessmentResult, CarrierLevel
from .models import Carrier, allowed_levels
from .selectors import carrier_rules
from .services import MAX_GRANT, CarrierData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _rules_help(carrier_type_id: str | None = None) -> str:
    """The per-type rules the declarer must meet, from the rules data (escaped: it is shown as
    help text, which the shared form template does not escape)."""
    parts = []
    for rule in carrier_rules():
        if carrier_type_id and rule.carrier_type_id != carrier_type_id:
            continue
        text = "%s：可申报%s" % (rule.carrier_type.name, rule.carrier_type.levels.replace(";", "、"))
        if rule.min_leader_level_id:
            text += "，领办人须为%s及以上" % rule.min_leader_level.name
        parts.append(text)
    return escape("；".join(parts))


class CarrierForm(forms.Form):
    """A declaration (new) or its correction after 补正 (``instance`` given: type and host fixed)."""

    name = forms.CharField(label="载体名称", max_length=100, help_text="如：连云港某某技能大师工作室")
    carrier_type = forms.ModelChoiceField(label="载体类型", queryset=CarrierType.objects.all())
    applied_level = forms.ChoiceField(label="申报级别", choices=CarrierLevel.choices)
    host = forms.CharField(
        label="依托单位统一社会信用代码", max_length=40, help_text="依托单位须已在“单位”中登记"
    )
    leader = forms.CharField(
        label="领办人身份证号",
        max_length=40,
        help_text="领办人须为人才库中已登记的人员；单位用户只能填写本单位职工",
    )
    region = forms.ModelChoiceField(label="所属县区", queryset=Region.objects.exclude(kind="city"))
    domain = forms.ModelChoiceField(label="重点领域", queryset=Domain.objects.all())
    summary = forms.CharField(
        label="建设情况简介", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = AttachmentsField(
        label="申报材料",
        help_text="如近三年培训台账、场地设备清单；PDF、图片或 Office 文件，每个不超过 20 MB",
    )

    def __init__(self, *args, user, instance: Carrier | None = None, **kwargs):
        self.user = user
        self.instance = instance
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "carrier_type": instance.carrier_type_id,
                    "applied_level": instance.applied_level,
                    "region": instance.region_id,
                    "domain": instance.domain_id,
                    "summary": instance.summary,
                },
            )
        elif user.organisation_id:
            org = user.organisation
            kwargs.setdefault("initial", {"region": org.region_id, "domain": org.domain_id})
        super().__init__(*args, **kwargs)
        self.fields["carrier_type"].help_text = _rules_help(instance.carrier_type_id if instance else None)
        if instance is not None or user.organisation_id:
            del self.fields["host"]  # an organisation declares for itself; the host never changes
        if instance is not None:
            self.fields["carrier_type"].disabled = True
            self.fields["leader"].required = False
            self.fields["leader"].help_text = "当前：%s（%s）；留空则不修改" % (
                instance.leader.name,
                instance.leader.id_masked,
            )
        bootstrapify(self)
        self.fields["files"].widget.attrs["class"] = "form-control"

    def clean_host(self) -> Organisation:
        code = normalise_uscc(self.cleaned_data["host"])
        org = scope(Organisation.objects.filter(uscc=code), self.user, "view").first()
        if org is None:
            raise ValidationError("没有找到统一社会信用代码为 %s 的单位，请先在“单位”中登记" % code)
        return org

    def clean_leader(self) -> Person | None:
        raw = self.cleaned_data["leader"]
        if not raw.strip():
            return None
        number = normalise_resident_id(raw).number
        person = scope(Person.objects.filter(id_digest=resident_id_digest(number)), self.user, "view").first()
        if person is None:
            raise ValidationError(
                "人才库中没有这个身份证号的人员（单位用户只能填写本单位职工），请先登记该人员"
            )
        return person

    def to_data(self) -> CarrierData:
        c = self.cleaned_data
        if self.instance is not None:
            host_id, type_id = self.instance.host_id, self.instance.carrier_type_id
            leader_id = c["leader"].pk if c.get("leader") else self.instance.leader_id
        else:
            host_id = c["host"].pk if "host" in c else self.user.organisation_id
            type_id, leader_id = c["carrier_type"].pk, c["leader"].pk
        return CarrierData(
            name=c["name"],
            carrier_type_id=type_id,
            applied_level=c["applied_level"],
            host_id=host_id,
            leader_id=leader_id,
            region_id=c["region"].pk,
            domain_id=c["domain"].pk,
            summary=c.get("summary", ""),
        )


class ScoreForm(forms.Form):
    expert_name = forms.CharField(label="专家姓名", max_length=40)
    score = forms.DecimalField(label="评分", min_value=0, max_value=100, max_digits=5, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)


def _level_choices(carrier: Carrier, *, above: str | None = None) -> list[tuple[str, str]]:
    levels = allowed_levels(carrier.carrier_type)
    if above:
        levels = [v for v in levels if LEVEL_RANK[CarrierLevel(v)] > LEVEL_RANK[CarrierLevel(above)]]
    return [(v, CarrierLevel(v).label) for v in levels]


class RecogniseForm(forms.Form):
    level = forms.ChoiceField(label="认定级别")
    recognised_on = forms.DateField(label="认定日期", widget=DateInput())
    grant_amount = forms.DecimalField(
        label="资助金额（元）",
        required=False,
        min_value=0,
        max_value=MAX_GRANT,
        max_digits=12,
        decimal_places=2,
    )
    note = forms.CharField(label="认定意见", max_length=300, required=False)

    def __init__(self, *args, carrier: Carrier, upgrade: bool = False, **kwargs):
        kwargs.setdefault(
            "initial",
            {"recognised_on": timezone.localdate(), "level": None if upgrade else carrier.applied_level},
        )
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = _level_choices(carrier, above=carrier.level if upgrade else None)
        if upgrade:
            self.fields["level"].label = "升级后级别"
            self.fields["recognised_on"].label = "升级认定日期"
            self.fields["note"].label = "说明"
            self.fields["grant_amount"].help_text = "新级别的资助金额；留空则不变"
        bootstrapify(self, small=True)


class AssessForm(forms.Form):
    year = forms.TypedChoiceField(label="考核年度", coerce=int)
    result = forms.ChoiceField(label="考核结果", choices=AssessmentResult.choices)
    note = forms.CharField(label="考核意见", max_length=200, required=False)

    def __init__(self, *args, carrier: Carrier, **kwargs):
        this_year = timezone.localdate().year
        first = carrier.first_recognised_on.year if carrier.first_recognised_on else this_year
        kwargs.setdefault("initial", {"year": max(first, this_year - 1)})
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, "%d年度" % y) for y in range(this_year, first - 1, -1)]
        bootstrapify(self, small=True)


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)
    revoked_on = forms.DateField(label="撤销日期", widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"revoked_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)
