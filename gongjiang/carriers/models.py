"""Training carriers (高技能人才培养载体): declarations, their review and recognition, annual
assessment, upgrades and revocation; the per-type rules that govern them; the history of every step."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, ScopedManager, register
from gongjiang.common.badges import StatusField

from .choices import (
    ACTIVE_STATUSES,
    AssessmentResult,
    CarrierLevel,
    CarrierSource,
    CarrierStatus,
)

_LEVEL_BY_LABEL = {label: value for value, label in CarrierLevel.choices}


def allowed_levels(carrier_type) -> list[str]:
    """The levels a carrier type may be recognised at, from its ``levels`` (e.g. "县级;市级")."""
    labels = [part.strip() for part in (carrier_type.levels or "").replace("；", ";").split(";")]
    return [_LEVEL_BY_LABEL[label] for label in labels if label in _LEVEL_BY_LABEL]


class CarrierRule(models.Model):
    """The rules of one carrier type, kept as data the city admin edits (seeded by a migration).
    A type without a row of its own follows the field defaults below."""

    carrier_type = models.OneToOneField(
        "core.CarrierType",
        verbose_name="载体类型",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="rule",
    )
    min_leader_level = models.ForeignKey(
        "core.SkillLevel",
        verbose_name="领办人最低技能等级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="领办人须持有该等级或更高等级的有效证书；留空表示不限",
    )
    lockout_years = models.PositiveSmallIntegerField(
        "撤销后不得再申报年限",
        default=3,
        validators=[MaxValueValidator(20)],
        help_text="被撤销的依托单位在该年限内不得再次申报同类载体",
    )
    excellent_share = models.DecimalField(
        "优秀比例上限",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="每年年度考核中，同类载体评为优秀的不超过该比例（如 0.30 即 30%，向下取整）",
    )
    min_expert_scores = models.PositiveSmallIntegerField(
        "认定所需专家评分数",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(15)],
    )
    county_review_days = models.PositiveSmallIntegerField("县区初审期限（天）", default=20)
    correction_days = models.PositiveSmallIntegerField("补正期限（天）", default=15)
    city_review_days = models.PositiveSmallIntegerField("市级评审期限（天）", default=30)
    assessment_days = models.PositiveSmallIntegerField(
        "年度考核期限（次年第几天前）", default=90, help_text="上一年度的考核须在次年1月1日起该天数内完成"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "培养载体规则"
        ordering = ["carrier_type__sort_order", "carrier_type__code"]

    def __str__(self) -> str:
        return "%s规则" % self.carrier_type.name

    def days_for(self, status: str) -> int | None:
        """How many days the step ``status`` may take (None: no deadline)."""
        return {
            CarrierStatus.COUNTY_REVIEW: self.county_review_days,
            CarrierStatus.RETURNED: self.correction_days,
            CarrierStatus.CITY_REVIEW: self.city_review_days,
        }.get(status)


class Carrier(models.Model):
    """One training carrier: declared by its host organisation, reviewed by the county and the
    city, then recognised at a level, assessed every year, upgraded or revoked. ``status``,
    ``level`` and the dates below are only ever changed by the services, each step writing a
    history row (``workflow.Event``)."""

    name = models.CharField("载体名称", max_length=100)
    carrier_type = models.ForeignKey("core.CarrierType", verbose_name="载体类型", on_delete=models.PROTECT)
    host = models.ForeignKey(
        "orgs.Organisation", verbose_name="依托单位", on_delete=models.PROTECT, related_name="carriers"
    )
    leader = models.ForeignKey(
        "talents.Person", verbose_name="领办人", on_delete=models.PROTECT, related_name="led_carriers"
    )
    region = models.ForeignKey("core.Region", verbose_name="所属县区", on_delete=models.PROTECT)
    domain = models.ForeignKey("core.Domain", verbose_name="重点领域", on_delete=models.PROTECT)
    summary = models.TextField("建设情况简介", blank=True, max_length=2000)
    applied_level = models.CharField("申报级别", max_length=10, choices=CarrierLevel.choices)
    level = models.CharField("认定级别", max_length=10, choices=CarrierLevel.choices, blank=True)
    status = StatusField(
        "状态", max_length=20, choices_class=CarrierStatus, default=CarrierStatus.COUNTY_REVIEW
    )
    source = models.CharField(
        "来源", max_length=10, choices=CarrierSource.choices, default=CarrierSource.DECLARED
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("申报时间", null=True, blank=True)
    returned_from = models.CharField("退回环节", max_length=20, choices=CarrierStatus.choices, blank=True)
    step_started_on = models.DateField("当前环节开始日期", null=True, blank=True)
    due_on = models.DateField("当前环节办理期限", null=True, blank=True, db_index=True)
    city_round = models.PositiveSmallIntegerField("市级评审轮次", default=0)
    first_recognised_on = models.DateField("首次认定日期", null=True, blank=True)
    city_level_since = models.DateField("首次认定为市级以上日期", null=True, blank=True, db_index=True)
    recognised_on = models.DateField("现级别认定日期", null=True, blank=True)
    grant_amount = models.DecimalField(
        "资助金额（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=200, blank=True)
    import_job_id = models.BigIntegerField("导入任务", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    events = GenericRelation("workflow.Event", related_query_name="carrier")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "培养载体"
        ordering = ["-id"]
        permissions = [
            ("review_carrier", "县区初审培养载体"),
            ("recognise_carrier", "市级评审和认定培养载体"),
            ("assess_carrier", "年度考核培养载体"),
            ("upgrade_carrier", "登记培养载体升级"),
            ("revoke_carrier", "撤销培养载体"),
            ("export_carrier", "导出培养载体"),
        ]
        constraints = [
            # One live carrier per type, host and leader: a second declaration of the same studio
            # while the first is under way or recognised is refused by the database too.
            models.UniqueConstraint(
                fields=["carrier_type", "host", "leader"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="carrier_one_active_per_type_host_leader",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "region"], name="carrier_status_region"),
            models.Index(fields=["carrier_type", "status"], name="carrier_type_status"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """One-row rules: the levels must be ones the type may have."""
        errors = {}
        if self.carrier_type_id:
            allowed = allowed_levels(self.carrier_type)
            names = "、".join(CarrierLevel(v).label for v in allowed)
            if self.applied_level and self.applied_level not in allowed:
                errors["applied_level"] = "%s只能申报：%s" % (self.carrier_type.name, names)
            if self.level and self.level not in allowed:
                errors["level"] = "%s只能认定为：%s" % (self.carrier_type.name, names)
        if self.status == CarrierStatus.RECOGNISED and not (self.level and self.recognised_on):
            errors["level"] = "已认定的载体须有认定级别和认定日期"
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_on and self.due_on < datetime.date.today())


class ExpertScore(models.Model):
    """One expert's score of a carrier in one round of city review (the mean decides nothing by
    itself: the city admin recognises with the scores in front of them). Read through its carrier."""

    carrier = models.ForeignKey(Carrier, verbose_name="载体", on_delete=models.CASCADE, related_name="scores")
    round = models.PositiveSmallIntegerField("评审轮次")
    expert_name = models.CharField("专家姓名", max_length=40)
    score = models.DecimalField(
        "评分",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家评分"
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "round", "expert_name"], name="expert_score_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return "%s：%s" % (self.expert_name, self.score)


class CarrierAssessment(models.Model):
    """The annual assessment of a recognised carrier for one year. Read through its carrier."""

    carrier = models.ForeignKey(
        Carrier, verbose_name="载体", on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    result = models.CharField("考核结果", max_length=10, choices=AssessmentResult.choices)
    note = models.CharField("考核意见", max_length=200, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="考核人", on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField("考核时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度考核"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["carrier", "year"], name="assessment_once_per_year")]
        indexes = [models.Index(fields=["year", "result"], name="assessment_year_result")]

    def __str__(self) -> str:
        return "%d年度 %s" % (self.year, self.get_result_display())


class CarrierStaging(models.Model):
    """Rows of a carriers import waiting to be merged (see talents.RosterStaging)."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    name = models.CharField(max_length=100)
    carrier_type_id = models.CharField(max_length=40)
    level = models.CharField(max_length=10)
    host_id = models.BigIntegerField()
    leader_digest = models.CharField(max_length=64)
    leader_name = models.CharField(max_length=40, null=True)
    region_id = models.CharField(max_length=12)
    domain_id = models.CharField(max_length=40)
    recognised_on = models.DateField()
    first_recognised_on = models.DateField()
    city_level_since = models.DateField(null=True)
    grant_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True)

    class Meta:
        verbose_name = verbose_name_plural = "培养载体导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


register(Carrier, {Role.REGION_OPERATOR: "region", Role.ORG_OPERATOR: "host", Role.DEPARTMENT: ALL})
