"""Reference data: the fixed vocabularies every other app points at.

Rows are loaded by a data migration from ``refdata/*.csv`` and edited by the city admin. Codes are
the primary keys because they are what files, IDs and other systems use.
"""

from django.db import models

from .choices import OccupationKind, RegionKind


class Region(models.Model):
    """A county-level division (GB/T 2260) or a 功能板块 zone of Lianyungang; the city is the root."""

    code = models.CharField("代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=40, unique=True)
    kind = models.CharField("类别", max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT)
    code_source = models.CharField("代码来源", max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "行政区划与功能板块"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class HistoricRegionCode(models.Model):
    """A code that no longer exists but still begins the ID numbers of people registered there."""

    code = models.CharField("代码", max_length=6, primary_key=True)
    name = models.CharField("名称", max_length=40)
    valid_from = models.PositiveSmallIntegerField("启用年份")
    valid_to = models.PositiveSmallIntegerField("停用年份")
    now_part_of = models.ForeignKey(Region, verbose_name="现属", on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "历史区划代码"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SkillLevel(models.Model):
    """A rung of the 新八级 ladder; ``is_high_skilled`` marks 高级工 and above."""

    code = models.CharField("代码", max_length=12, primary_key=True)
    rank = models.PositiveSmallIntegerField("序位", unique=True)
    name = models.CharField("名称", max_length=20, unique=True)
    grade = models.CharField("级别", max_length=10, blank=True)
    certificate_digit = models.CharField("证书编号等级位", max_length=1, blank=True)
    is_high_skilled = models.BooleanField("属于高技能人才", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "技能等级"
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class Domain(models.Model):
    """One of the six key fields named by measure 三 of the policy."""

    code = models.CharField("代码", max_length=40, primary_key=True)
    name = models.CharField("名称", max_length=40, unique=True)
    gbt4754_sections = models.CharField("国民经济行业门类", max_length=60, blank=True)
    examples = models.TextField("典型行业", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "重点领域"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CertificateType(models.Model):
    """A kind of skill certificate and the levels it may carry (none for 专项职业能力)."""

    code = models.CharField("代码", max_length=20, primary_key=True)
    name = models.CharField("名称", max_length=40, unique=True)
    has_level = models.BooleanField("有等级", default=True)
    levels_allowed = models.ManyToManyField(SkillLevel, verbose_name="可用等级", blank=True)
    issuer = models.CharField("发证主体", max_length=80, blank=True)
    notes = models.TextField("说明", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "证书类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CarrierType(models.Model):
    """A kind of training carrier; ``counts_toward_target`` marks the five in the target of 20."""

    code = models.CharField("代码", max_length=40, primary_key=True)
    name = models.CharField("名称", max_length=40, unique=True)
    counts_toward_target = models.BooleanField("计入20家目标", default=False)
    levels = models.CharField("可认定级别", max_length=40, help_text="以分号分隔，如 市级;省级;国家级")
    notes = models.TextField("说明", blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "培养载体类型"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Occupation(models.Model):
    """A node of the 国家职业分类大典 (2022): major d, middle d-dd, minor d-dd-dd, occupation d-dd-dd-dd."""

    code = models.CharField("代码", max_length=14, primary_key=True)
    name = models.CharField("名称", max_length=80, db_index=True)
    kind = models.CharField("层级", max_length=12, choices=OccupationKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "职业分类"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
