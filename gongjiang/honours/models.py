"""Honours and talent programmes (measure 八): titles and programmes as data, the registry of
honours held, selection rounds and their nominations (on the one workflow)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, ScopedManager, register, register_reference
from gongjiang.common.badges import StatusField
from gongjiang.workflow.models import StepFields

from .choices import AwardSource, AwardStatus, HonourKind, HonourLevel, NominationStatus


class HonourTitle(models.Model):
    """An honour title or a talent programme, with its selection rules (edited by the city in the
    reference data): who may be nominated (minimum level, years in post, no revoked certificate in
    the last N years), the quota per round and the share of high-skilled nominees aimed for."""

    code = models.CharField("代码", max_length=40, primary_key=True)
    name = models.CharField("名称", max_length=60, unique=True)
    kind = models.CharField("类别", max_length=10, choices=HonourKind.choices, default=HonourKind.TITLE)
    level = models.CharField("级别", max_length=10, choices=HonourLevel.choices, default=HonourLevel.CITY)
    awarding_body = models.CharField("授予/组织单位", max_length=80)
    cycle_years = models.PositiveSmallIntegerField("评选周期（年）", default=1)
    quota = models.PositiveSmallIntegerField("每轮名额", default=10)
    target_high_share = models.DecimalField(
        "高技能人才入选比例目标",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="如 0.30 即 30%；留空表示不设目标",
    )
    min_level = models.ForeignKey(
        "core.SkillLevel",
        verbose_name="被推荐人最低技能等级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_years_in_post = models.PositiveSmallIntegerField("最少任现职年限", default=0)
    clean_years = models.PositiveSmallIntegerField(
        "近几年内无被撤销证书", default=0, help_text="0 表示不检查"
    )
    by_competition = models.BooleanField("由竞赛获奖授予", default=False)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "荣誉称号与人才项目"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class HonourAward(models.Model):
    """One honour held by a person (the registry), from a competition result, a selection round or
    entered by hand; ``source_ref`` names what granted it, so a withdrawal revokes exactly that."""

    person = models.ForeignKey(
        "talents.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="honours"
    )
    title = models.ForeignKey(
        HonourTitle, verbose_name="荣誉/项目", on_delete=models.PROTECT, related_name="awards"
    )
    granted_on = models.DateField("授予日期")
    source = models.CharField("来源", max_length=12, choices=AwardSource.choices)
    source_ref = models.CharField("来源记录", max_length=60, blank=True, db_index=True)
    note = models.CharField("说明", max_length=200, blank=True)
    status = StatusField("状态", max_length=10, choices_class=AwardStatus, default=AwardStatus.GRANTED)
    revoked_reason = models.CharField("撤销原因", max_length=200, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "荣誉登记"
        ordering = ["-granted_on", "-id"]
        permissions = [("export_honouraward", "导出荣誉登记")]

    def __str__(self) -> str:
        return "%s %s" % (self.person.name, self.title.name)


class SelectionRound(models.Model):
    """One round of selecting a title or programme (e.g. 2026年市技术能手评选): nominations until
    ``nominations_close``, then 公示 from ``publicity_start`` to ``publicity_end``, then decisions."""

    title = models.ForeignKey(
        HonourTitle, verbose_name="荣誉/项目", on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField("评选名称", max_length=100)
    quota = models.PositiveSmallIntegerField("名额")
    nominations_close = models.DateField("推荐截止日期")
    publicity_start = models.DateField("公示开始日期")
    publicity_end = models.DateField("公示结束日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "评选轮次"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name


class Nomination(StepFields):
    """A nomination of a person in a round by an organisation or a county, with the person's record
    attached when it is submitted (certificates, honours, competition awards, carriers led) and the
    eligibility checks' outcome; reviewed, put to 公示 and decided on the one workflow."""

    round = models.ForeignKey(
        SelectionRound, verbose_name="评选轮次", on_delete=models.PROTECT, related_name="nominations"
    )
    person = models.ForeignKey(
        "talents.Person", verbose_name="被推荐人", on_delete=models.PROTECT, related_name="nominations"
    )
    region = models.ForeignKey("core.Region", verbose_name="所属县区", on_delete=models.PROTECT)
    nominating_org = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="推荐单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("推荐时间", null=True, blank=True)
    in_post_since = models.DateField("任现职起始日期")
    merits = models.TextField("主要事迹", max_length=2000)
    record = models.JSONField("人员记录（推荐时）", default=dict)
    checks = models.JSONField("资格审查", default=list)
    high_skilled = models.BooleanField("推荐时为高技能人才", default=False)
    objections = models.PositiveSmallIntegerField("公示异议数", default=0)
    status = StatusField(
        "状态", max_length=20, choices_class=NominationStatus, default=NominationStatus.SUBMITTED
    )
    events = GenericRelation("workflow.Event", related_query_name="nomination")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "推荐"
        ordering = ["-id"]
        permissions = [("decide_nomination", "审核和决定推荐")]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="nomination_round_person")]

    def __str__(self) -> str:
        return "%s（%s）" % (self.person.name, self.round.name)

    @property
    def code(self) -> str:
        return "TJ%06d" % self.pk


register_reference(HonourTitle)
register(
    HonourAward,
    {
        Role.REGION_OPERATOR: "person__region",
        Role.ORG_OPERATOR: "person__employer",
        Role.TALENT: "person__user",
    },
)
register(SelectionRound, {Role.REGION_OPERATOR: ALL, Role.ORG_OPERATOR: ALL, Role.DEPARTMENT: ALL})
register(Nomination, {Role.REGION_OPERATOR: "region", Role.ORG_OPERATOR: "nominating_org"})
