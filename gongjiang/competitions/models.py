"""Skill competitions (measure 六): competitions and their events, competitors' results, and the
award rules (honour titles, prize money, level promotion) that publishing a result applies."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, ScopedManager, register, register_reference
from gongjiang.common.badges import StatusField

from .choices import Award, EventStatus, Promotion, ResultStatus, Tier

_VIEW_ALL = {Role.REGION_OPERATOR: ALL, Role.ORG_OPERATOR: ALL, Role.DEPARTMENT: ALL}


class AwardRule(models.Model):
    """What one award at one tier earns, from ``year_from`` on (a later row for the same tier and
    award replaces it from its year: the rules are versioned by year, never edited in the past's
    place). Titles are honour-title codes of the honours registry (``honours.HonourTitle``)."""

    tier = models.CharField("竞赛类别", max_length=20, choices=Tier.choices)
    award = models.CharField("奖项", max_length=12, choices=Award.choices)
    year_from = models.PositiveSmallIntegerField(
        "适用年度起", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title_code = models.CharField("授予荣誉称号（代码）", max_length=40, blank=True)
    youth_title_code = models.CharField(
        "35岁以下另授（代码）", max_length=40, blank=True, help_text="仅在竞赛组织方授予时（竞赛上勾选）"
    )
    women_title_code = models.CharField(
        "女性选手另授（代码）", max_length=40, blank=True, help_text="仅在竞赛组织方授予时（竞赛上勾选）"
    )
    prize = models.DecimalField(
        "奖金（元）", max_digits=10, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    promotion = models.CharField("等级晋升", max_length=10, choices=Promotion.choices, default=Promotion.NONE)
    promotion_level = models.ForeignKey(
        "core.SkillLevel",
        verbose_name="直接晋升到",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="“直接晋升到指定等级”时填写；已具有该等级（或更高）的晋升高一级，最高到高级技师",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "竞赛奖励规则"
        ordering = ["tier", "award", "-year_from"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "award", "year_from"], name="awardrule_tier_award_year")
        ]

    def __str__(self) -> str:
        return "%s %s（%d年起）" % (self.get_tier_display(), self.get_award_display(), self.year_from)

    def clean(self) -> None:
        if self.promotion == Promotion.TO_LEVEL and not self.promotion_level_id:
            raise ValidationError({"promotion_level": "“直接晋升到指定等级”须选择等级"})
        if self.promotion != Promotion.TO_LEVEL and self.promotion_level_id:
            raise ValidationError({"promotion_level": "只有“直接晋升到指定等级”需要选择等级"})
        if self.promotion_level_id and self.promotion_level.rank > 6:
            raise ValidationError({"promotion_level": "竞赛晋升最高到高级技师"})


class Competition(models.Model):
    """One competition (e.g. 2026年连云港技能状元大赛)."""

    name = models.CharField("竞赛名称", max_length=100)
    tier = models.CharField("竞赛类别", max_length=20, choices=Tier.choices)
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    organiser = models.CharField("主办单位", max_length=120)
    held_on = models.DateField("举办日期", help_text="判断选手是否未满35周岁以此日期为准")
    awards_youth_title = models.BooleanField("组织方授予青年岗位能手", default=False)
    awards_women_title = models.BooleanField("组织方授予巾帼建功标兵", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "技能竞赛"
        ordering = ["-year", "-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """One event (比赛项目) of a competition: an occupation at a level. Its results are published
    together; publishing again later publishes only what was recorded since."""

    competition = models.ForeignKey(
        Competition, verbose_name="竞赛", on_delete=models.PROTECT, related_name="events"
    )
    name = models.CharField("项目名称", max_length=100)
    occupation = models.ForeignKey(
        "core.Occupation", verbose_name="职业（工种）", null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="竞赛等级", null=True, blank=True, on_delete=models.PROTECT
    )
    status = StatusField("状态", max_length=12, choices_class=EventStatus, default=EventStatus.DRAFT)
    published_at = models.DateTimeField("首次公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "竞赛项目"
        ordering = ["competition", "id"]
        permissions = [("publish_event", "公布竞赛成绩")]

    def __str__(self) -> str:
        return "%s · %s" % (self.competition.name, self.name)

    @property
    def code(self) -> str:
        return "XM%06d" % self.pk


class Result(models.Model):
    """A competitor's entry in an event and its result. Publishing applies the award rule once:
    ``certificate``, ``prize`` and ``titles`` record what it granted; a withdrawal revokes them."""

    event = models.ForeignKey(
        Event, verbose_name="竞赛项目", on_delete=models.PROTECT, related_name="results"
    )
    person = models.ForeignKey(
        "talents.Person", verbose_name="选手", on_delete=models.PROTECT, related_name="competition_results"
    )
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    award = models.CharField("奖项", max_length=12, choices=Award.choices, default=Award.NONE)
    status = StatusField("状态", max_length=12, choices_class=ResultStatus, default=ResultStatus.RECORDED)
    prize = models.DecimalField("奖金（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    titles = models.CharField("授予称号", max_length=200, blank=True)
    promotion_note = models.CharField("等级晋升", max_length=200, blank=True)
    certificate = models.ForeignKey(
        "talents.Certificate",
        verbose_name="晋升证书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=200, blank=True)
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "竞赛成绩"
        ordering = ["event", "rank", "id"]
        permissions = [("withdraw_result", "撤回竞赛成绩"), ("export_result", "导出竞赛成绩")]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="result_event_person")]

    def __str__(self) -> str:
        return "%s %s" % (self.person.name, self.get_award_display())


class ResultStaging(models.Model):
    """Rows of a competition_results import waiting to be merged."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    event_id = models.BigIntegerField()
    id_digest = models.CharField(max_length=64)
    name = models.CharField(max_length=40, null=True)
    rank = models.IntegerField(null=True)
    award = models.CharField(max_length=12)

    class Meta:
        verbose_name = verbose_name_plural = "竞赛成绩导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


register_reference(AwardRule)
register(Competition, _VIEW_ALL)
register(Event, _VIEW_ALL)
register(
    Result,
    {
        Role.REGION_OPERATOR: "person__region",
        Role.ORG_OPERATOR: "person__employer",
        Role.TALENT: "person__user",
    },
)
