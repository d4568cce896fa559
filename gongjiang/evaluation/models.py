"""Skill evaluation (技能评价): institutions' filings, evaluation batches and their candidates, and
enterprises' appointments of 特级技师 and 首席技师. Published results and confirmed appointments
become certificates in the talent database (talents.Certificate)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ScopedManager, register
from gongjiang.common.badges import StatusField
from gongjiang.workflow.models import StepFields

from .choices import AppointmentStatus, BatchStatus, FilingStatus, InstitutionType


class Filing(StepFields):
    """An organisation's filing (备案) as an evaluation institution: which occupations and levels it
    may evaluate, and for how long. Filed by the organisation or the city, approved by the city
    (never by whoever filed it); the city may suspend or withdraw it, with a reason."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="评价机构",
        on_delete=models.PROTECT,
        related_name="evaluation_filings",
    )
    institution_type = models.CharField("机构类型", max_length=12, choices=InstitutionType.choices)
    occupations = models.ManyToManyField(
        "core.Occupation", verbose_name="可评价职业（工种）", related_name="+"
    )
    levels = models.ManyToManyField("core.SkillLevel", verbose_name="可评价等级", related_name="+")
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    status = StatusField(
        "状态", max_length=12, choices_class=FilingStatus, default=FilingStatus.SUBMITTED, db_index=True
    )
    status_reason = models.CharField("退回、暂停或撤销原因", max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间", null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    events = GenericRelation("workflow.Event", related_query_name="filing")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "评价机构备案"
        ordering = ["-id"]
        permissions = [
            ("approve_filing", "审核、暂停、撤销评价机构备案"),
            ("export_filing", "导出评价机构备案"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="filing_period_ordered",
                violation_error_message="有效期止不能早于有效期起",
            ),
        ]

    def __str__(self) -> str:
        return "%s（%s）" % (self.organisation.name, self.get_institution_type_display())

    def in_force_on(self, day: datetime.date) -> bool:
        return self.status == FilingStatus.APPROVED and self.valid_from <= day <= self.valid_to


class Batch(StepFields):
    """An evaluation batch (认定批次) planned by a filed institution for one occupation and level
    within its filing, with its exam date. Results are reported by the institution and reviewed by
    the city; publishing turns the passes into certificates."""

    filing = models.ForeignKey(
        Filing, verbose_name="评价机构备案", on_delete=models.PROTECT, related_name="batches"
    )
    name = models.CharField("批次名称", max_length=120)
    occupation = models.ForeignKey(
        "core.Occupation", verbose_name="职业（工种）", on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="技能等级", on_delete=models.PROTECT, related_name="+"
    )
    exam_date = models.DateField("考核日期")
    status = StatusField(
        "状态", max_length=12, choices_class=BatchStatus, default=BatchStatus.PLANNED, db_index=True
    )
    status_reason = models.CharField("退回或取消原因", max_length=200, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField("上报时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("发证时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    events = GenericRelation("workflow.Event", related_query_name="batch")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "认定批次"
        ordering = ["-id"]
        permissions = [
            ("review_batch", "审核认定结果、公布发证"),
            ("export_batch", "导出认定批次"),
        ]

    def __str__(self) -> str:
        return "%s %s" % (self.code, self.name)

    @property
    def code(self) -> str:
        """The batch number people write in files (PC + six digits of the id)."""
        return "PC%06d" % self.pk if self.pk else ""

    @property
    def organisation(self):
        return self.filing.organisation


class Candidate(models.Model):
    """A person from the talent database sitting a batch, with the result the institution reports
    and, once published, the certificate it became."""

    batch = models.ForeignKey(
        Batch, verbose_name="认定批次", on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(
        "talents.Person", verbose_name="考生", on_delete=models.PROTECT, related_name="evaluation_candidacies"
    )
    passed = models.BooleanField("考核结果", null=True, blank=True)
    score = models.DecimalField("成绩", max_digits=4, decimal_places=1, null=True, blank=True)
    certificate = models.OneToOneField(
        "talents.Certificate",
        verbose_name="证书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_candidate",
    )
    added_at = models.DateTimeField("加入时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "考生"
        ordering = ["batch_id", "id"]
        permissions = [("export_candidate", "导出考生与结果")]
        constraints = [models.UniqueConstraint(fields=["batch", "person"], name="candidate_once_per_batch")]

    def __str__(self) -> str:
        return "%s（%s）" % (self.person.name, self.batch.code)

    @property
    def result_display(self) -> str:
        return {True: "合格", False: "不合格"}.get(self.passed, "未录入")


class AppointmentRule(models.Model):
    """What an appointment level requires (评聘条件), as data: 特级技师 requires 高级技师 and
    首席技师 requires 特级技师. ``certificate_code`` stands in the level position of the
    appointment's certificate number (these levels have no certificate digit)."""

    level = models.OneToOneField(
        "core.SkillLevel",
        verbose_name="聘任等级",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prerequisite = models.ForeignKey(
        "core.SkillLevel", verbose_name="须已持有等级", on_delete=models.PROTECT, related_name="+"
    )
    certificate_code = models.CharField("证书编号等级位", max_length=1)

    class Meta:
        verbose_name = verbose_name_plural = "评聘条件"
        ordering = ["level__rank"]

    def __str__(self) -> str:
        return "%s（须持有%s）" % (self.level.name, self.prerequisite.name)


class Appointment(StepFields):
    """An enterprise's appointment (评聘) of one of its staff as 特级技师 or 首席技师, under its
    employer filing. Recorded (备案) by the city, it becomes a certificate of its level."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="聘任单位", on_delete=models.PROTECT, related_name="appointments"
    )
    filing = models.ForeignKey(
        Filing, verbose_name="评价机构备案", on_delete=models.PROTECT, related_name="appointments"
    )
    person = models.ForeignKey(
        "talents.Person", verbose_name="受聘人", on_delete=models.PROTECT, related_name="appointments"
    )
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="聘任等级", on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "core.Occupation", verbose_name="职业（工种）", on_delete=models.PROTECT, related_name="+"
    )
    appointed_on = models.DateField("聘任日期")
    term_end = models.DateField("聘期至", null=True, blank=True)
    status = StatusField(
        "状态",
        max_length=12,
        choices_class=AppointmentStatus,
        default=AppointmentStatus.SUBMITTED,
        db_index=True,
    )
    status_reason = models.CharField("退回或解聘原因", max_length=200, blank=True)
    certificate = models.OneToOneField(
        "talents.Certificate",
        verbose_name="证书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="备案人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("备案时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    events = GenericRelation("workflow.Event", related_query_name="appointment")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "特级技师首席技师评聘"
        ordering = ["-id"]
        permissions = [
            ("confirm_appointment", "评聘备案"),
            ("export_appointment", "导出评聘"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gt=models.F("appointed_on")),
                name="appointment_term_after_start",
                violation_error_message="聘期结束日期须晚于聘任日期",
            ),
        ]

    def __str__(self) -> str:
        return "%s 聘任%s" % (self.person.name, self.level.name)


class CertificateSerial(models.Model):
    """The last serial used per certificate-number prefix (institution, year, level), so numbers
    are handed out in order and never twice; the row is locked while a batch is published."""

    prefix = models.CharField("编号前缀", max_length=21, primary_key=True)
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "证书编号序列"

    def __str__(self) -> str:
        return "%s…%06d" % (self.prefix, self.last)


class FilingStaging(models.Model):
    """Rows of an evaluation_institutions import waiting to be merged (see talents.RosterStaging)."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    organisation_id = models.BigIntegerField()
    institution_type = models.CharField(max_length=12)
    occupation_codes = models.TextField()  # ";"-separated Occupation codes
    level_codes = models.TextField()  # ";"-separated SkillLevel codes
    valid_from = models.DateField()
    valid_to = models.DateField()

    class Meta:
        verbose_name = verbose_name_plural = "评价机构备案导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


class ResultStaging(models.Model):
    """Rows of an evaluation_results import waiting to be merged."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    batch_id = models.BigIntegerField()
    id_digest = models.CharField(max_length=64)
    name = models.CharField(max_length=40, null=True)
    passed = models.BooleanField(null=True)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True)

    class Meta:
        verbose_name = verbose_name_plural = "认定结果导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


register(Filing, {Role.REGION_OPERATOR: "organisation__region", Role.ORG_OPERATOR: "organisation"})
register(
    Batch, {Role.REGION_OPERATOR: "filing__organisation__region", Role.ORG_OPERATOR: "filing__organisation"}
)
register(
    Candidate,
    {
        Role.REGION_OPERATOR: "batch__filing__organisation__region",
        Role.ORG_OPERATOR: "batch__filing__organisation",
    },
)
register(Appointment, {Role.REGION_OPERATOR: "organisation__region", Role.ORG_OPERATOR: "organisation"})
