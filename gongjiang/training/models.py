"""Training (措施一、三): enterprises' training records and chain training, the city's shared
training-resources catalogue (providers, courses, teachers, schedules, sharing requests), the
subsidy table and training subsidy claims checked line by line against the registry."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, AnyOf, ScopedManager, register, register_reference
from gongjiang.common.badges import StatusField
from gongjiang.core.crypto import decrypt
from gongjiang.workflow.models import StepFields

from .choices import ClaimStatus, ProviderKind, ResourceKind, SharingStatus, SubsidyClass, SubsidyKind


class Provider(models.Model):
    """A training provider of the catalogue: a school, a public base, an enterprise's training
    centre or a private provider, run by one organisation (whose operators edit its entries)."""

    organisation = models.OneToOneField(
        "orgs.Organisation",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        related_name="training_provider",
    )
    name = models.CharField("机构名称", max_length=120)
    kind = models.CharField("机构类别", max_length=20, choices=ProviderKind.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name="所在县区", on_delete=models.PROTECT, related_name="+"
    )
    domains = models.ManyToManyField("core.Domain", verbose_name="重点领域", blank=True, related_name="+")
    facilities = models.TextField("场地设施", blank=True)
    capacity = models.PositiveIntegerField("年培训能力（人次）", default=0)
    accreditation = models.CharField("资质（备案、认定）", max_length=200, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("咨询电话", max_length=30, blank=True)
    published = models.BooleanField("在公开目录中展示", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "培训机构"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """A course of a provider: what it trains for, and the subsidy class it is rated at."""

    provider = models.ForeignKey(
        Provider, verbose_name="培训机构", on_delete=models.PROTECT, related_name="courses"
    )
    name = models.CharField("课程名称", max_length=120)
    occupation = models.ForeignKey(
        "core.Occupation", verbose_name="职业（工种）", on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="培训等级", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.ForeignKey(
        "core.Domain", verbose_name="重点领域", on_delete=models.PROTECT, related_name="+"
    )
    hours = models.PositiveSmallIntegerField("课时")
    price = models.DecimalField("收费（元）", max_digits=10, decimal_places=2, default=0)
    certificate_type = models.ForeignKey(
        "core.CertificateType",
        verbose_name="可取得的证书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空表示不颁发证书",
    )
    subsidy_class = models.CharField(
        "补贴类别", max_length=1, choices=SubsidyClass.choices, blank=True, help_text="留空表示不享受补贴"
    )
    description = models.TextField("课程简介", blank=True)
    published = models.BooleanField("已发布", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "培训课程"
        ordering = ["provider", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def leads_to_certificate(self) -> bool:
        return self.certificate_type_id is not None


class Teacher(models.Model):
    """A teacher of a provider, linked to the talent registry where the person is in it."""

    provider = models.ForeignKey(
        Provider, verbose_name="培训机构", on_delete=models.PROTECT, related_name="teachers"
    )
    name = models.CharField("姓名", max_length=40)
    speciality = models.CharField("专长", max_length=120, blank=True)
    title = models.CharField("职称或技能等级", max_length=60, blank=True)
    person = models.ForeignKey(
        "talents.Person",
        verbose_name="人才库记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    shareable = models.BooleanField("可共享给其他单位", default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "培训师资"
        ordering = ["provider", "name"]

    def __str__(self) -> str:
        return self.name


class Schedule(models.Model):
    """One class (开班) of a course: when, where, how many seats."""

    course = models.ForeignKey(
        Course, verbose_name="课程", on_delete=models.PROTECT, related_name="schedules"
    )
    starts_on = models.DateField("开班日期")
    ends_on = models.DateField("结业日期")
    place = models.CharField("地点", max_length=120, blank=True)
    seats = models.PositiveSmallIntegerField("名额", default=30)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "开班计划"
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return "%s %s" % (self.course.name, self.starts_on.isoformat())


class SubsidyRate(models.Model):
    """The subsidy table: what a certificate at ``level`` earns for a course of ``subsidy_class``
    under ``kind`` (元). Data the city admin edits; ``demo`` marks amounts not taken from a
    published text."""

    kind = models.CharField("补贴种类", max_length=12, choices=SubsidyKind.choices)
    subsidy_class = models.CharField("补贴类别", max_length=1, choices=SubsidyClass.choices)
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="等级", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField("补贴标准（元）", max_digits=10, decimal_places=2)
    basis = models.CharField("依据", max_length=200, blank=True)
    demo = models.BooleanField("演示数据", default=True, help_text="金额并非出自已公布的政策文本")

    class Meta:
        verbose_name = verbose_name_plural = "培训补贴标准"
        ordering = ["kind", "subsidy_class", "level__rank"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subsidy_class", "level"], name="subsidy_rate_once")
        ]

    def __str__(self) -> str:
        return "%s %s %s %s元" % (self.get_kind_display(), self.subsidy_class, self.level_id, self.amount)


class ClaimCap(models.Model):
    """How many subsidised trainings one person may be granted in a year (both kinds together)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    max_lines = models.PositiveSmallIntegerField("每人每年最多享受次数")
    demo = models.BooleanField("演示数据", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "培训补贴年度上限"
        ordering = ["-year"]

    def __str__(self) -> str:
        return "%d年 每人最多 %d 次" % (self.year, self.max_lines)


class SubsidyClaim(StepFields):
    """A claim by a provider or an enterprise for the trainees of one class of a course who
    obtained the certificate it leads to; the county reviews, the city approves, and each
    eligible line is then paid through the benefits payment batches."""

    kind = models.CharField("补贴种类", max_length=12, choices=SubsidyKind.choices)
    claimant = models.ForeignKey(
        "orgs.Organisation", verbose_name="申领单位", on_delete=models.PROTECT, related_name="training_claims"
    )
    region = models.ForeignKey(
        "core.Region", verbose_name="受理县区", on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, verbose_name="课程", on_delete=models.PROTECT, related_name="claims")
    schedule = models.ForeignKey(
        Schedule, verbose_name="开班", on_delete=models.PROTECT, related_name="claims"
    )
    status = StatusField(
        "状态", max_length=20, choices_class=ClaimStatus, default=ClaimStatus.COUNTY_REVIEW, db_index=True
    )
    status_reason = models.CharField("退回或不予通过原因", max_length=300, blank=True)
    bank_name = models.CharField("开户银行", max_length=60)
    account_cipher = models.TextField("银行账号（密文）")
    account_digest = models.CharField("银行账号摘要", max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")
    events = GenericRelation("workflow.Event", related_query_name="training_claim")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "培训补贴申领"
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("review_subsidyclaim", "县区审核培训补贴申领"),
            ("approve_subsidyclaim", "市级审批培训补贴申领"),
        ]

    def __str__(self) -> str:
        return "%s · %s" % (self.get_kind_display(), self.course.name)

    @property
    def account_masked(self) -> str:
        number = decrypt(self.account_cipher) if self.account_cipher else ""
        return "*" * (len(number) - 4) + number[-4:] if number else ""


class ClaimLine(models.Model):
    """One trainee of a claim: the certificate named, the checks' verdict (reasons when refused)
    and, once approved, the entitlement it is paid under (benefits pays it exactly once)."""

    claim = models.ForeignKey(
        SubsidyClaim, verbose_name="申领", on_delete=models.CASCADE, related_name="lines"
    )
    row_no = models.PositiveSmallIntegerField("序号")
    name = models.CharField("姓名", max_length=40)
    id_digest = models.CharField("身份证号摘要", max_length=64)
    id_masked = models.CharField("身份证号", max_length=20)
    certificate_number = models.CharField("证书编号", max_length=40)
    person = models.ForeignKey(
        "talents.Person",
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    certificate = models.ForeignKey(
        "talents.Certificate",
        verbose_name="证书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occupation = models.ForeignKey(
        "core.Occupation", verbose_name="职业（工种）", null=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="等级", null=True, on_delete=models.PROTECT, related_name="+"
    )
    eligible = models.BooleanField("符合条件", default=False)
    reasons = models.TextField("不符合原因", blank=True)
    amount = models.DecimalField("补贴金额（元）", max_digits=10, decimal_places=2, default=0)
    entitlement = models.OneToOneField(
        "benefits.Entitlement",
        verbose_name="发放依据",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_line",
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "培训补贴申领明细"
        ordering = ["claim", "row_no"]

    def __str__(self) -> str:
        return "%s 第%d行" % (self.claim_id, self.row_no)

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split("\n") if r]


class EnterpriseTraining(models.Model):
    """An enterprise's training record for one year (措施一)."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="企业", on_delete=models.PROTECT, related_name="training_records"
    )
    year = models.PositiveSmallIntegerField("年度")
    has_training_system = models.BooleanField("已建立职工教育培训制度", default=False)
    in_development_plan = models.BooleanField("高技能人才培养纳入企业发展规划", default=False)
    in_manager_targets = models.BooleanField("列入经营者任期目标", default=False)
    congress_report_on = models.DateField("向职代会报告日期", null=True, blank=True)
    trained_primary = models.PositiveIntegerField("培训初级工（人次）", default=0)
    trained_intermediate = models.PositiveIntegerField("培训中级工（人次）", default=0)
    trained_advanced = models.PositiveIntegerField("培训高级工（人次）", default=0)
    trained_technician = models.PositiveIntegerField("培训技师及以上（人次）", default=0)
    education_fund = models.DecimalField("职工教育经费支出（元）", max_digits=14, decimal_places=2, default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "企业培训情况"
        ordering = ["-year", "organisation"]
        permissions = [("export_enterprisetraining", "导出企业培训情况")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="enterprise_training_once_a_year",
                violation_error_message="该企业该年度的培训情况已填报，请修改原记录",
            )
        ]

    def __str__(self) -> str:
        return "%s %d年" % (self.organisation.name, self.year)

    @property
    def trained_total(self) -> int:
        return (
            self.trained_primary + self.trained_intermediate + self.trained_advanced + self.trained_technician
        )


class ChainTraining(models.Model):
    """A 链主 (or 龙头, 专精特新) enterprise's training of another enterprise's staff in a year."""

    record = models.ForeignKey(
        EnterpriseTraining, verbose_name="培训情况", on_delete=models.CASCADE, related_name="chain"
    )
    member = models.ForeignKey(
        "orgs.Organisation", verbose_name="链上企业", on_delete=models.PROTECT, related_name="+"
    )
    staff_trained = models.PositiveIntegerField("培训职工（人次）")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "产业链企业职工培训"
        ordering = ["record", "member"]
        constraints = [models.UniqueConstraint(fields=["record", "member"], name="chain_training_once")]

    def __str__(self) -> str:
        return "%s → %s" % (self.record, self.member.name)


class SharingRequest(StepFields):
    """One organisation asks a provider to share a facility, a teacher or a course (措施三: 资源共建
    共享 across departments and regions); the provider's organisation answers on the one workflow."""

    requester = models.ForeignKey(
        "orgs.Organisation", verbose_name="申请单位", on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Provider, verbose_name="共享方", on_delete=models.PROTECT, related_name="sharing_requests"
    )
    resource = models.CharField("共享资源", max_length=10, choices=ResourceKind.choices)
    course = models.ForeignKey(
        Course, verbose_name="课程", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    teacher = models.ForeignKey(
        Teacher, verbose_name="教师", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    needed_from = models.DateField("需要开始日期")
    needed_to = models.DateField("需要结束日期")
    note = models.TextField("需求说明")
    status = StatusField(
        "状态", max_length=10, choices_class=SharingStatus, default=SharingStatus.PENDING, db_index=True
    )
    status_reason = models.CharField("答复说明", max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")
    events = GenericRelation("workflow.Event", related_query_name="sharing_request")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "培训资源共享申请"
        ordering = ["-submitted_at", "-id"]
        permissions = [("answer_sharingrequest", "答复培训资源共享申请")]

    def __str__(self) -> str:
        return "%s → %s（%s）" % (self.requester.name, self.provider.name, self.get_resource_display())


# The public catalogue reads published entries without a user (selectors.course_catalogue); signed
# in, a county sees its region's providers, an organisation edits only its own, departments read.
register(Provider, {Role.REGION_OPERATOR: "region", Role.ORG_OPERATOR: "organisation", Role.DEPARTMENT: ALL})
for _model, _path in ((Course, "provider__"), (Teacher, "provider__"), (Schedule, "course__provider__")):
    register(
        _model,
        {
            Role.REGION_OPERATOR: _path + "region",
            Role.ORG_OPERATOR: _path + "organisation",
            Role.DEPARTMENT: ALL,
        },
    )
register(SubsidyClaim, {Role.REGION_OPERATOR: "region", Role.ORG_OPERATOR: "claimant"})
register(ClaimLine, {Role.REGION_OPERATOR: "claim__region", Role.ORG_OPERATOR: "claim__claimant"})
register(
    EnterpriseTraining,
    {Role.REGION_OPERATOR: "organisation__region", Role.ORG_OPERATOR: "organisation", Role.DEPARTMENT: ALL},
)
register(
    ChainTraining,
    {
        Role.REGION_OPERATOR: "record__organisation__region",
        Role.ORG_OPERATOR: "record__organisation",
        Role.DEPARTMENT: ALL,
    },
)
# A sharing request is seen by the organisation that sent it and by the provider it was sent to.
register(
    SharingRequest,
    {
        Role.REGION_OPERATOR: AnyOf(("provider__region", "requester__region")),
        Role.ORG_OPERATOR: AnyOf(("requester", "provider__organisation")),
    },
)
register_reference(SubsidyRate, ClaimCap)


class EnterpriseTrainingStaging(models.Model):
    """Rows of an enterprise training import waiting to be merged (see talents.RosterStaging)."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    organisation_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    has_training_system = models.BooleanField()
    in_development_plan = models.BooleanField()
    in_manager_targets = models.BooleanField()
    congress_report_on = models.DateField(null=True)
    trained_primary = models.PositiveIntegerField()
    trained_intermediate = models.PositiveIntegerField()
    trained_advanced = models.PositiveIntegerField()
    trained_technician = models.PositiveIntegerField()
    education_fund = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "企业培训情况导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"
