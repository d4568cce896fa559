"""The dashboard's aggregates: small tables kept up to date from the talent database, so that a
page reads a few hundred rows instead of scanning millions (docs/decisions/011)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, ScopedManager, register

from .choices import Dimension, RefreshTrigger, SplitTarget

# Codes of reference data, as in talents.models: no per-row foreign-key trigger on bulk refreshes.
REFDATA_KEY = {"db_constraint": False, "db_index": False}


class Tally(models.Model):
    """How many skilled persons (and of them high-skilled) of one region fall under one key of one
    breakdown. ``since`` is the first day of the month (of the year, for occupations) in which these
    persons became new high-skilled talents (2026 or later); it is null for everyone else. Rebuilt
    set-based by ``services.aggregates_refresh`` from the persons' derived fields."""

    dimension = models.CharField("维度", max_length=16, choices=Dimension.choices)
    key = models.CharField("取值", max_length=40, blank=True)
    region = models.ForeignKey("core.Region", verbose_name="县区", on_delete=models.DO_NOTHING, **REFDATA_KEY)
    since = models.DateField("成为高技能人才月份", null=True, blank=True)
    skilled = models.PositiveIntegerField("技能人才")
    high = models.PositiveIntegerField("高技能人才")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "统计汇总"
        indexes = [models.Index(fields=["dimension", "region"], name="tally_dimension_region")]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key}@{self.region_id}"


class DailySnapshot(models.Model):
    """A region's stock on one day, written by each refresh (one row per region per day, the last
    refresh of the day wins), so the share has a trend. The row dated 2025-12-31 is the baseline of
    every pace line, recomputed from the certificates themselves (``services.baseline_refresh``)."""

    date = models.DateField("日期")
    region = models.ForeignKey("core.Region", verbose_name="县区", on_delete=models.DO_NOTHING, **REFDATA_KEY)
    skilled = models.PositiveIntegerField("技能人才")
    high = models.PositiveIntegerField("高技能人才")
    new_high_skilled = models.PositiveIntegerField("新增高技能人才")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "每日快照"
        ordering = ["date", "region"]
        constraints = [models.UniqueConstraint(fields=["date", "region"], name="snapshot_date_region_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.region_id}"


class OfficialTotal(models.Model):
    """The officially reported number of 技能劳动者 of a region (or of the city, 320700) in a year,
    entered by the city admin; the share is then also shown against it."""

    region = models.ForeignKey("core.Region", verbose_name="县区", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("年度")
    skilled_workers = models.PositiveIntegerField("技能劳动者总量（人）")
    source = models.CharField("数据来源", max_length=120, blank=True, help_text="如：2026年统计年报")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "技能劳动者官方统计数"
        ordering = ["-year", "region__sort_order", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="official_total_region_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}年"


class TargetSplit(models.Model):
    """The part of a city-wide count target (新增高技能人才, 新建载体, 示范性学校) that the city has
    assigned to one county, entered by the city admin. A county's dashboard shows a goal, a pace
    and a status for such a target only when its split is entered; the city's own goal is never
    compared with one county's figure."""

    target = models.CharField("指标", max_length=32, choices=SplitTarget.choices)
    region = models.ForeignKey("core.Region", verbose_name="县区", on_delete=models.PROTECT)
    goal = models.PositiveIntegerField("分解目标")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "目标分解到县区"
        ordering = ["target", "region__sort_order", "region"]
        constraints = [
            models.UniqueConstraint(fields=["target", "region"], name="target_split_target_region")
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.region}"


class RefreshState(models.Model):
    """The one row that says how fresh the aggregates are: when they were last rebuilt (``as_of``)
    and whether a change is waiting for the next rebuild (``requested_at``), so that a burst of
    edits queues one background refresh rather than one each; likewise for the baseline, which is
    recomputed at most hourly in the background (``baseline_due``: a recompute is scheduled)."""

    requested_at = models.DateTimeField("请求时间", null=True, blank=True)
    as_of = models.DateTimeField("数据截至", null=True, blank=True)
    seconds = models.FloatField("用时（秒）", default=0)
    trigger = models.CharField("触发", max_length=10, choices=RefreshTrigger.choices, blank=True)
    baseline_at = models.DateTimeField("基期重算时间", null=True, blank=True)
    baseline_due = models.DateTimeField("基期待重算时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "统计刷新状态"
        permissions = [("refresh_tally", "刷新统计汇总"), ("view_dashboard", "查看目标驾驶舱")]

    def __str__(self) -> str:
        return f"as of {self.as_of}"


_REGION_SCOPE = {Role.REGION_OPERATOR: "region", Role.DEPARTMENT: ALL}
register(Tally, _REGION_SCOPE)
register(DailySnapshot, _REGION_SCOPE)
register(OfficialTotal, _REGION_SCOPE)
register(TargetSplit, _REGION_SCOPE)
