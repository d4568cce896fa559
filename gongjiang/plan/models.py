"""The plan of the policy: its ten measures and the departments responsible for each, the tasks
that break a measure down (owner, supporting departments, yearly milestones, a measurable target),
the owners' quarterly progress reports, 督办 notices, and the funding of each measure."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, ScopedManager, register, register_reference
from gongjiang.common.badges import StatusField
from gongjiang.workflow.models import StepFields

from .choices import (
    IndicatorCode,
    ReportStatus,
    ResponsibilityRole,
    SpendingOrigin,
    SupervisionKind,
    SupervisionStatus,
)

NUMERALS = "一二三四五六七八九十"


class Measure(models.Model):
    """One of the policy's ten measures, loaded from the policy text (``plan/data/policy.txt``)."""

    number = models.PositiveSmallIntegerField(
        "序号", primary_key=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    title = models.CharField("措施", max_length=60)
    text = models.TextField("政策原文")
    counties = models.BooleanField("含各县区人民政府、功能板块管委会", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "政策措施"
        ordering = ["number"]

    def __str__(self) -> str:
        return "%s、%s" % (self.numeral, self.title)

    @property
    def numeral(self) -> str:
        return NUMERALS[self.number - 1]


class Responsibility(models.Model):
    """A department named at the end of a measure: the first named leads (牵头) unless the city
    changes it, the others support (配合)."""

    measure = models.ForeignKey(
        Measure, verbose_name="措施", on_delete=models.CASCADE, related_name="responsibilities"
    )
    department = models.ForeignKey(
        "orgs.Organisation", verbose_name="部门", on_delete=models.PROTECT, related_name="+"
    )
    named_as = models.CharField("政策中的简称", max_length=30)
    role = models.CharField("职责", max_length=10, choices=ResponsibilityRole.choices)
    position = models.PositiveSmallIntegerField("排列顺序")

    class Meta:
        verbose_name = verbose_name_plural = "部门职责"
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "department"], name="plan_responsibility_once"),
            models.UniqueConstraint(
                fields=["measure"], condition=models.Q(role="lead"), name="plan_one_lead_per_measure"
            ),
        ]

    def __str__(self) -> str:
        return "%s · %s（%s）" % (self.measure.numeral, self.named_as, self.get_role_display())


class Task(models.Model):
    """What a measure asks, broken down: the owner department answers for it and reports on it
    every quarter; supporting departments and (where the measure names them) every county and
    功能板块 take part and see it."""

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField("任务", max_length=120)
    description = models.TextField("任务内容", blank=True)
    owner = models.ForeignKey(
        "orgs.Organisation", verbose_name="牵头部门", on_delete=models.PROTECT, related_name="+"
    )
    supporting = models.ManyToManyField(
        "orgs.Organisation", verbose_name="配合部门", blank=True, related_name="+"
    )
    # owner + supporting: the departments that see the task (the one scope path of departments)
    departments = models.ManyToManyField(
        "orgs.Organisation", verbose_name="参与部门", blank=True, related_name="plan_tasks"
    )
    regions = models.ManyToManyField(
        "core.Region", verbose_name="参与县区和功能板块", blank=True, related_name="plan_tasks"
    )
    indicator = models.CharField("对应驾驶舱指标", max_length=30, choices=IndicatorCode.choices, blank=True)
    target = models.CharField("可量化目标", max_length=120, blank=True)
    target_value = models.DecimalField("目标值", max_digits=14, decimal_places=4, null=True, blank=True)
    evidence = models.CharField("佐证材料要求", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "任务"
        ordering = ["measure", "id"]
        permissions = [("export_task", "导出任务")]

    def __str__(self) -> str:
        return "措施%s · %s" % (self.measure.numeral, self.title)


class Milestone(models.Model):
    """A task's milestone for one year of 2026–2030: met when the city accepts a progress report
    that says so (or marks it met)."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField("年度")
    description = models.CharField("年度目标", max_length=200)
    target_value = models.DecimalField("目标值", max_digits=14, decimal_places=4, null=True, blank=True)
    due_on = models.DateField("完成期限")
    met_on = models.DateField("完成日期", null=True, blank=True)
    actual_value = models.DecimalField("实际值", max_digits=14, decimal_places=4, null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "年度里程碑"
        ordering = ["task", "year"]
        constraints = [models.UniqueConstraint(fields=["task", "year"], name="plan_milestone_once_a_year")]

    def __str__(self) -> str:
        return "%d年：%s" % (self.year, self.description)

    def is_lagging(self, today) -> bool:
        return self.met_on is None and self.due_on < today


class ProgressReport(StepFields):
    """The owner department's report on a task for one quarter (text, figures, attachments), through
    the one workflow: 待报送 → 待市级审核 → 已采纳, or 退回补正 and back to the reviewer."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey(
        "orgs.Organisation", verbose_name="报送部门", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField(
        "季度", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    report_due = models.DateField("报送截止日期", db_index=True)
    status = StatusField("状态", max_length=12, choices_class=ReportStatus, default=ReportStatus.DUE)
    text = models.TextField("工作进展", blank=True)
    figure = models.DecimalField("本期数据", max_digits=14, decimal_places=4, null=True, blank=True)
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="本期完成的年度里程碑",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_reason = models.CharField("退回原因", max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    reminded_on = models.DateField("提醒日期", null=True, blank=True)
    events = GenericRelation("workflow.Event", related_query_name="progress_report")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "进展报告"
        ordering = ["-year", "-quarter", "task"]
        permissions = [("review_progressreport", "审核进展报告")]
        constraints = [
            models.UniqueConstraint(fields=["task", "year", "quarter"], name="plan_report_once_a_quarter")
        ]

    def __str__(self) -> str:
        return "%s · %d年第%d季度" % (self.task.title, self.year, self.quarter)

    @property
    def period(self) -> str:
        return "%d年第%d季度" % (self.year, self.quarter)

    def is_late(self, today) -> bool:
        """Not handed in and past its deadline (from the day after the deadline)."""
        return self.status == ReportStatus.DUE and self.report_due < today


class Supervision(StepFields):
    """A 督办 notice to a department: raised once for an overdue report or a lagging milestone,
    visible to the city, answered by the department within its own deadline, closed by the city."""

    kind = models.CharField("督办事由", max_length=20, choices=SupervisionKind.choices)
    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.PROTECT, related_name="supervisions")
    department = models.ForeignKey(
        "orgs.Organisation", verbose_name="被督办部门", on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="进展报告",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name="年度里程碑",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.CharField("督办内容", max_length=300)
    raised_on = models.DateField("督办日期")
    status = StatusField(
        "状态", max_length=10, choices_class=SupervisionStatus, default=SupervisionStatus.OPEN
    )
    reply = models.TextField("部门回复", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="回复人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    status_reason = models.CharField("说明", max_length=300, blank=True)
    events = GenericRelation("workflow.Event", related_query_name="supervision")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "督办"
        ordering = ["-raised_on", "-id"]
        permissions = [("reply_supervision", "回复督办"), ("close_supervision", "核销督办")]
        constraints = [
            # raised once per overdue report and once per lagging milestone, however often the
            # daily check runs
            models.UniqueConstraint(fields=["report"], name="plan_supervision_once_per_report"),
            models.UniqueConstraint(fields=["milestone"], name="plan_supervision_once_per_milestone"),
        ]

    def __str__(self) -> str:
        return "督办：%s" % self.text


class FundingSource(models.Model):
    """Where the money comes from (措施十: 就业补助资金, 职业教育专项资金; 人才发展专项; others the
    city adds). Benefit payments (benefits app) are counted against the source marked for them."""

    name = models.CharField("资金来源", max_length=60, unique=True)
    benefit_measure = models.ForeignKey(
        Measure,
        verbose_name="人才待遇发放计入措施",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="人才待遇（benefits）已发放的金额自动计入本资金来源的该措施；只应有一个资金来源设置此项",
    )
    position = models.PositiveSmallIntegerField("排列顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "资金来源"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    """A year's budget of one source for one measure."""

    source = models.ForeignKey(
        FundingSource, verbose_name="资金来源", on_delete=models.PROTECT, related_name="budgets"
    )
    measure = models.ForeignKey(
        Measure, verbose_name="措施", on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField(
        "预算（元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "资金预算"
        ordering = ["-year", "source", "measure"]
        constraints = [models.UniqueConstraint(fields=["source", "measure", "year"], name="plan_budget_once")]

    def __str__(self) -> str:
        return "%d年 %s · 措施%s" % (self.year, self.source, self.measure.numeral)


class Spending(models.Model):
    """Money spent from a source on a measure: entered, imported (KIND ``spending``) or, for paid
    benefit payment lines, carried over from the benefits app (one row per line)."""

    source = models.ForeignKey(
        FundingSource, verbose_name="资金来源", on_delete=models.PROTECT, related_name="spendings"
    )
    measure = models.ForeignKey(
        Measure, verbose_name="措施", on_delete=models.PROTECT, related_name="spendings"
    )
    spent_on = models.DateField("支出日期", db_index=True)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    description = models.CharField("用途", max_length=200)
    origin = models.CharField(
        "来源", max_length=10, choices=SpendingOrigin.choices, default=SpendingOrigin.MANUAL
    )
    payment_line_id = models.BigIntegerField("发放明细", null=True, blank=True, unique=True)
    # A wrong entry is never edited or deleted: a reversal row of the opposite amount, dated as
    # the entry, cancels it and keeps both on record.
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲销的支出",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "资金支出"
        ordering = ["-spent_on", "-id"]
        permissions = [("export_spending", "导出资金支出")]

    def __str__(self) -> str:
        return "%s %s %s" % (self.spent_on, self.source, self.amount)


register_reference(Measure, Responsibility, FundingSource)
register(Task, {Role.DEPARTMENT: "departments", Role.REGION_OPERATOR: "regions"})
register(Milestone, {Role.DEPARTMENT: "task__departments", Role.REGION_OPERATOR: "task__regions"})
# A department sees and edits only the reports it owes; a county reads those of tasks naming it.
register(ProgressReport, {Role.DEPARTMENT: "department", Role.REGION_OPERATOR: "task__regions"})
register(Supervision, {Role.DEPARTMENT: "department"})
# Funding: the city keeps it; departments read every measure's money (措施十: 各司其职).
register(Budget, {Role.DEPARTMENT: ALL})
register(Spending, {Role.DEPARTMENT: ALL})


class SpendingStaging(models.Model):
    """Rows of a spending import waiting to be merged (see talents.RosterStaging)."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    source_id = models.BigIntegerField()
    measure_id = models.SmallIntegerField()
    spent_on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    description = models.CharField(max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "资金支出导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"
