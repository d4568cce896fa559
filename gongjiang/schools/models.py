"""Vocational and technical schools (measure 二): their professional teachers and internship
instructors, the schools supported as high-level demonstration schools with their milestones,
teachers' enterprise practice, and each school's yearly social training and graduates.

A school is an ``orgs.Organisation`` of a school kind (``choices.SCHOOL_KINDS``); a teacher is a
``talents.Person`` of the talent database, so a teacher's level is the person's certificates."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, ScopedManager, register
from gongjiang.talents.models import RosterRow

from .choices import SCHOOL_KINDS, DemonstrationStatus, TeacherCategory

FIRST_YEAR = 2016
LAST_YEAR = 2035
_YEAR_VALIDATORS = [
    MinValueValidator(FIRST_YEAR, "年度不能早于%(limit_value)s年"),
    MaxValueValidator(LAST_YEAR, "年度不能晚于%(limit_value)s年"),
]


def _check_school(school, errors: dict, field: str = "school") -> None:
    if school is not None and school.kind not in SCHOOL_KINDS:
        errors[field] = "“%s”不是职业学校或技工学校" % school.name


class Teacher(models.Model):
    """A professional teacher (专业课教师) or internship instructor (实习指导教师) of one school.
    Counted in the school's share at 高级工 or above while ``left_on`` is empty or later."""

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="学校",
        on_delete=models.PROTECT,
        related_name="teachers",
    )
    person = models.ForeignKey(
        "talents.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="teaching_posts"
    )
    category = models.CharField("教师类别", max_length=20, choices=TeacherCategory.choices)
    subject = models.CharField("任教专业", max_length=60)
    left_on = models.DateField("离任日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "专业课教师和实习指导教师"
        ordering = ["school", "person__name", "id"]
        permissions = [("export_teacher", "导出教师")]
        constraints = [
            models.UniqueConstraint(fields=["school", "person"], name="teacher_once_per_school"),
        ]

    def __str__(self) -> str:
        return "%s（%s）" % (self.person.name, self.get_category_display())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.school_id:
            _check_school(self.school, errors)
        if self.left_on and self.left_on > datetime.date.today():
            errors["left_on"] = "离任日期不能晚于今天"
        if errors:
            raise ValidationError(errors)


class DemonstrationSchool(models.Model):
    """A school supported to become a high-level demonstration school (the policy's 2 + 2)."""

    school = models.OneToOneField(
        "orgs.Organisation",
        verbose_name="学校",
        on_delete=models.PROTECT,
        related_name="demonstration",
    )
    year = models.PositiveSmallIntegerField("扶持年度", validators=_YEAR_VALIDATORS)
    status = models.CharField(
        "扶持状态", max_length=12, choices=DemonstrationStatus.choices, default=DemonstrationStatus.CANDIDATE
    )
    note = models.TextField("建设目标与说明", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "高水平示范性学校"
        ordering = ["year", "id"]
        permissions = [("export_demonstrationschool", "导出示范性学校")]

    def __str__(self) -> str:
        return "%s（%d年扶持）" % (self.school.name, self.year)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.school_id:
            _check_school(self.school, errors)
        if errors:
            raise ValidationError(errors)


class Milestone(models.Model):
    """A step of a demonstration school's construction, due on a date; done with evidence."""

    demonstration = models.ForeignKey(
        DemonstrationSchool, verbose_name="示范性学校", on_delete=models.PROTECT, related_name="milestones"
    )
    name = models.CharField("建设任务", max_length=100)
    due_on = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)
    evidence = models.TextField("佐证材料说明", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "建设任务"
        ordering = ["due_on", "id"]
        permissions = [("export_milestone", "导出建设任务")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.done_on and self.done_on > datetime.date.today():
            errors["done_on"] = "实际完成日期不能晚于今天"
        if self.done_on and not (self.evidence or "").strip():
            errors["evidence"] = "标记完成时须填写佐证材料说明"
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        """Not done and past its due date (the list pages use ``selectors.milestone_overdue_q``)."""
        return self.done_on is None and self.due_on < (on or datetime.date.today())

    @property
    def is_late(self) -> bool:
        """Done, but after its due date."""
        return self.done_on is not None and self.done_on > self.due_on


class EnterprisePractice(models.Model):
    """A period a teacher spent practising in an enterprise (教师企业实践制度). A record lies
    within one calendar year, so the days per teacher per year are a plain sum."""

    teacher = models.ForeignKey(
        Teacher, verbose_name="教师", on_delete=models.PROTECT, related_name="practices"
    )
    host_name = models.CharField("实践企业", max_length=120)
    host_uscc = models.CharField("企业统一社会信用代码", max_length=18, blank=True)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    days = models.PositiveSmallIntegerField(
        "实践天数", validators=[MinValueValidator(1, "实践天数至少为1天")]
    )
    content = models.CharField("实践内容", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "教师企业实践"
        ordering = ["-start_on", "id"]
        permissions = [("export_enterprisepractice", "导出教师企业实践")]

    def __str__(self) -> str:
        return "%s %s" % (self.host_name, self.start_on)

    @property
    def year(self) -> int:
        return self.start_on.year

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_on and self.start_on > datetime.date.today():
            errors["start_on"] = "开始日期不能晚于今天"
        if self.start_on and self.end_on:
            if self.end_on < self.start_on:
                errors["end_on"] = "结束日期不能早于开始日期"
            elif self.end_on.year != self.start_on.year:
                errors["end_on"] = "一条实践记录不能跨年，请按年度分成两条登记"
            elif self.days and self.days > (self.end_on - self.start_on).days + 1:
                errors["days"] = "实践天数（%(days)d天）超过了开始至结束日期的天数（%(span)d天）" % {
                    "days": self.days,
                    "span": (self.end_on - self.start_on).days + 1,
                }
        if errors:
            raise ValidationError(errors)


class SchoolYear(models.Model):
    """A school's figures for one year: paid social training (measure 二 allows it) and its
    graduates, of whom how many also obtained a skill certificate (双证)."""

    school = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="学校",
        on_delete=models.PROTECT,
        related_name="school_years",
    )
    year = models.PositiveSmallIntegerField("年度", validators=_YEAR_VALIDATORS)
    training_sessions = models.PositiveIntegerField("社会培训期数", default=0)
    training_trainees = models.PositiveIntegerField("社会培训人次", default=0)
    training_income = models.DecimalField(
        "社会培训收入（万元）",
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), "收入不能为负数")],
    )
    graduates = models.PositiveIntegerField("毕业生人数", default=0)
    graduates_certified = models.PositiveIntegerField("取得职业技能等级证书的毕业生", default=0)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "学校年度数据"
        ordering = ["-year", "school", "id"]
        permissions = [("export_schoolyear", "导出学校年度数据")]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="school_year_once"),
        ]

    def __str__(self) -> str:
        return "%s %d年" % (self.school.name, self.year)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.school_id:
            _check_school(self.school, errors)
        if self.year and self.year > datetime.date.today().year:
            errors["year"] = "年度不能晚于今年"
        certified, graduates = self.graduates_certified, self.graduates
        if certified is not None and graduates is not None and certified > graduates:
            errors["graduates_certified"] = "取得证书的毕业生（%d人）不能多于毕业生人数（%d人）" % (
                certified,
                graduates,
            )
        if self.training_sessions == 0 and (self.training_trainees or self.training_income):
            errors["training_sessions"] = "有培训人次或收入时，培训期数不能为0"
        if errors:
            raise ValidationError(errors)

    @property
    def dual_rate(self) -> float | None:
        """双证率 = graduates with a skill certificate ÷ graduates (None without graduates)."""
        return self.graduates_certified / self.graduates if self.graduates else None


class TeacherStaging(RosterRow):
    """Rows of a teachers import waiting to be merged: the roster's person and certificate columns
    (the merge hands them to the roster merge), then the teacher's own."""

    school_id = models.BigIntegerField()
    category = models.CharField(max_length=20)
    subject = models.CharField(max_length=60)

    class Meta(RosterRow.Meta):
        verbose_name = verbose_name_plural = "教师名册导入暂存"


_BY_SCHOOL = {Role.REGION_OPERATOR: "school__region", Role.ORG_OPERATOR: "school", Role.DEPARTMENT: ALL}


def _through(prefix: str) -> dict[str, str]:
    return {role: path if path == ALL else f"{prefix}__{path}" for role, path in _BY_SCHOOL.items()}


register(Teacher, _BY_SCHOOL)
register(DemonstrationSchool, _BY_SCHOOL)
register(SchoolYear, _BY_SCHOOL)
register(Milestone, _through("demonstration"))
register(EnterprisePractice, _through("teacher"))
