"""Talent benefits (措施九): policies as data with versions, their yearly budgets, and the shortage
catalogue (急需紧缺技能人才目录) that some policies require."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from gongjiang.accounts.scope import ScopedManager
from gongjiang.common.badges import StatusField
from gongjiang.core.crypto import decrypt
from gongjiang.workflow.models import StepFields

from .choices import LIVE_ENTITLEMENT, ApplicationStatus, EntitlementStatus, PaymentStatus, PolicyMode


class BenefitPolicy(models.Model):
    """A benefit policy (购房券, 生活补贴, 津贴, and services such as 落户 or 子女入学). Its rules are
    its versions; editing a published policy makes a new version with its own effective date, and
    an entitlement keeps the version it was granted under."""

    code = models.CharField("政策代码", max_length=40, unique=True)
    name = models.CharField("政策名称", max_length=100)
    department = models.CharField("责任部门", max_length=60, blank=True)
    mode = models.CharField("兑现方式", max_length=12, choices=PolicyMode.choices)
    demo = models.BooleanField("演示数据", default=False, help_text="金额并非出自已公布的政策文本")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "待遇政策"
        ordering = ["code"]

    def __str__(self) -> str:
        return "%s（%s）" % (self.name, self.code)


class PolicyVersion(models.Model):
    """One version of a policy's rules: the JSON of the stable file format (``spec.py``), never
    edited after it is written; a change is a new version."""

    policy = models.ForeignKey(
        BenefitPolicy, verbose_name="政策", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    rules = models.JSONField("规则")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "政策版本"
        ordering = ["policy", "-number"]
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="policy_version_once")]

    def __str__(self) -> str:
        return "%s 第%d版" % (self.policy.code, self.number)


class PolicyBudget(models.Model):
    """A policy's budget for one year (元): approvals beyond it are refused unless it is raised."""

    policy = models.ForeignKey(
        BenefitPolicy, verbose_name="政策", on_delete=models.CASCADE, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("预算（元）", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "政策年度预算"
        ordering = ["policy", "year"]
        constraints = [models.UniqueConstraint(fields=["policy", "year"], name="policy_budget_once_a_year")]

    def __str__(self) -> str:
        return "%s %d年 %s元" % (self.policy.code, self.year, self.amount)


class ShortageOccupation(models.Model):
    """An entry of the shortage catalogue of one year: an occupation (or a group of them) whose
    certificates at ``min_level`` or above count for ``shortage_only`` policies."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    occupation = models.ForeignKey("core.Occupation", verbose_name="职业（工种）", on_delete=models.PROTECT)
    min_level = models.ForeignKey(
        "core.SkillLevel", verbose_name="最低等级", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.ForeignKey(
        "core.Domain",
        verbose_name="重点领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "急需紧缺技能人才目录"
        ordering = ["-year", "occupation"]
        constraints = [
            models.UniqueConstraint(fields=["year", "occupation"], name="shortage_occupation_once_a_year")
        ]

    def __str__(self) -> str:
        return "%d年 %s（%s及以上）" % (self.year, self.occupation.name, self.min_level.name)


class Entitlement(StepFields):
    """What one person is granted under one policy version at one level: the full amount, paid in
    ``instalments`` equal yearly parts. Granted set-based by the engine (免申即享) or on approval of
    an application; it keeps the version it was granted under."""

    policy = models.ForeignKey(BenefitPolicy, verbose_name="政策", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        PolicyVersion, verbose_name="政策版本", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "talents.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="entitlements"
    )
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="等级", on_delete=models.PROTECT, related_name="+"
    )
    occupation = models.ForeignKey(
        "core.Occupation",
        verbose_name="职业（工种）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="仅培训补贴：同一人同一职业同一等级一份",
    )
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    instalments = models.PositiveSmallIntegerField("分期数")
    status = StatusField(
        "状态",
        max_length=12,
        choices_class=EntitlementStatus,
        default=EntitlementStatus.OFFERED,
        db_index=True,
    )
    granted_on = models.DateField("授予日期")
    status_reason = models.CharField("退回、放弃或停发原因", max_length=300, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    account_cipher = models.TextField("银行账号（密文）", blank=True)
    account_digest = models.CharField("银行账号摘要", max_length=64, blank=True, db_index=True)
    consent_at = models.DateTimeField("同意时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    payable_on = models.DateField("核实日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    events = GenericRelation("workflow.Event", related_query_name="entitlement")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "待遇资格"
        ordering = ["-granted_on", "-id"]
        permissions = [
            ("confirm_entitlement", "确认待遇（银行账户、同意）"),
            ("verify_entitlement", "核实待遇"),
            ("stop_entitlement", "停发待遇"),
            ("pay_entitlement", "制作发放批次、导出银行文件"),
        ]
        constraints = [
            # One standing entitlement per policy, person and level, whatever the code does.
            models.UniqueConstraint(
                fields=["policy", "person", "level"],
                condition=models.Q(status__in=LIVE_ENTITLEMENT, occupation__isnull=True),
                name="entitlement_once_per_policy_person_level",
            ),
            # A training subsidy is granted per occupation: once per person, occupation and level.
            models.UniqueConstraint(
                fields=["policy", "person", "occupation", "level"],
                condition=models.Q(status__in=LIVE_ENTITLEMENT, occupation__isnull=False),
                name="entitlement_once_per_policy_person_occupation_level",
            ),
        ]

    def __str__(self) -> str:
        return "%s · %s" % (self.policy.name, self.person.name)

    @property
    def account_masked(self) -> str:
        """The bank account as shown on screen: the last four digits only."""
        if not self.account_cipher:
            return ""
        number = decrypt(self.account_cipher)
        return "*" * (len(number) - 4) + number[-4:]

    @property
    def instalment_amounts(self) -> list[Decimal]:
        """The equal yearly parts, the last taking the cents left over."""
        part = (self.amount / self.instalments).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        return [part] * (self.instalments - 1) + [self.amount - part * (self.instalments - 1)]


class PaymentBatch(models.Model):
    """A month's payment batch: every instalment due by the month's end and not yet in a live line."""

    month = models.DateField("月份")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("制作时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "发放批次"
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return "%s 发放批次 #%d" % (self.month.strftime("%Y-%m"), self.pk)


class PaymentLine(models.Model):
    """One instalment of one entitlement in a batch. A database constraint makes a second live
    line (待发放 or 已发放) of the same (entitlement, instalment) impossible, whatever the code
    does; a failed line is not live, so the instalment goes into the next batch."""

    batch = models.ForeignKey(
        PaymentBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="lines"
    )
    entitlement = models.ForeignKey(
        Entitlement, verbose_name="待遇", on_delete=models.PROTECT, related_name="lines"
    )
    instalment = models.PositiveSmallIntegerField("期次")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    status = StatusField("状态", max_length=10, choices_class=PaymentStatus, default=PaymentStatus.PENDING)
    failure_reason = models.CharField("失败原因", max_length=200, blank=True)
    settled_at = models.DateTimeField("回盘时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "发放明细"
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement", "instalment"],
                condition=models.Q(status__in=("pending", "paid")),
                name="payment_line_once_per_instalment",
            )
        ]

    def __str__(self) -> str:
        return "%s 第%d期" % (self.entitlement_id, self.instalment)


class PaymentResultStaging(models.Model):
    """Rows of a bank result import waiting to be merged (see talents.RosterStaging)."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    line_id = models.BigIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid = models.BooleanField()
    reason = models.CharField(max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "银行回盘导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


class GrantState(models.Model):
    """The one row that says when offers were last made (数据截至) and whether a run is queued,
    so a burst of changes queues one background run, not one per change."""

    requested_at = models.DateTimeField("请求时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待遇资格计算状态"

    def __str__(self) -> str:
        return "资格计算截至 %s" % (self.finished_at or "—")


class YearlyCap(models.Model):
    """The city-wide cap on what one person may be granted across all policies in one year (元);
    a person above it is flagged on the integrity page. Edited by the city admin in 参考数据."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    amount = models.DecimalField("每人年度上限（元）", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "个人年度待遇上限"
        ordering = ["-year"]

    def __str__(self) -> str:
        return "%d年 每人 %s 元" % (self.year, self.amount)


class BenefitApplication(StepFields):
    """An application for a 依申请 policy: the talent (or the employer for its staff) applies from a
    pre-filled form; the employer confirms the employment, the county reviews (补正, reject, pass)
    and the city approves, which grants the entitlement within the year's budget."""

    policy = models.ForeignKey(BenefitPolicy, verbose_name="政策", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        PolicyVersion, verbose_name="政策版本", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "talents.Person", verbose_name="申请人", on_delete=models.PROTECT, related_name="benefit_applications"
    )
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="等级", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    status = StatusField(
        "状态",
        max_length=20,
        choices_class=ApplicationStatus,
        default=ApplicationStatus.COUNTY_REVIEW,
        db_index=True,
    )
    status_reason = models.CharField("退回或不予通过原因", max_length=300, blank=True)
    bank_name = models.CharField("开户银行", max_length=60)
    account_cipher = models.TextField("银行账号（密文）")
    account_digest = models.CharField("银行账号摘要", max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")
    entitlement = models.OneToOneField(
        Entitlement,
        verbose_name="授予的待遇",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    events = GenericRelation("workflow.Event", related_query_name="benefit_application")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "待遇申请"
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("confirm_employment_benefitapplication", "确认申请人在本单位工作"),
            ("review_benefitapplication", "县区审核待遇申请"),
            ("approve_benefitapplication", "市级审批待遇申请"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "person"],
                condition=models.Q(
                    status__in=("employer_review", "county_review", "city_review", "returned")
                ),
                name="benefit_application_one_open",
            )
        ]

    def __str__(self) -> str:
        return "%s · %s" % (self.policy.name, self.person.name)

    @property
    def account_masked(self) -> str:
        number = decrypt(self.account_cipher) if self.account_cipher else ""
        return "*" * (len(number) - 4) + number[-4:] if number else ""


class ShortageStaging(models.Model):
    """Rows of a shortage catalogue import waiting to be merged (see talents.RosterStaging)."""

    job_id = models.BigIntegerField()
    row_no = models.IntegerField()
    year = models.PositiveSmallIntegerField()
    occupation_id = models.CharField(max_length=14)
    min_level_id = models.CharField(max_length=20)
    domain_id = models.CharField(max_length=40, null=True)

    class Meta:
        verbose_name = verbose_name_plural = "急需紧缺目录导入暂存"
        indexes = [models.Index(fields=["job_id", "row_no"], name="shortage_staging_job_row")]

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"
