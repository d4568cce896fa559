"""Organisations people work for or that act in the policy: enterprises, schools, institutions,
associations, departments."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, ScopedManager, register, register_reference

from .choices import OrgKind, OrgSize


class Organisation(models.Model):
    """An organisation identified by its unified social credit code (GB 32100)."""

    name = models.CharField("名称", max_length=120, db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("类别", max_length=30, choices=OrgKind.choices, default=OrgKind.ENTERPRISE)
    region = models.ForeignKey("core.Region", verbose_name="所属县区", on_delete=models.PROTECT)
    domain = models.ForeignKey(
        "core.Domain", verbose_name="重点领域", null=True, blank=True, on_delete=models.PROTECT
    )
    size = models.CharField("规模", max_length=10, choices=OrgSize.choices, blank=True)
    is_chain_leader = models.BooleanField("链主企业", default=False)
    is_industry_leader = models.BooleanField("行业龙头", default=False)
    is_specialised = models.BooleanField("专精特新", default=False)
    is_state_owned = models.BooleanField("国有企业", default=False)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=40, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["-id"]
        permissions = [("export_organisation", "导出单位")]
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self) -> str:
        return self.name


class OrganisationStaging(models.Model):
    """Rows of an organisations import waiting to be merged (see talents.RosterStaging)."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    name = models.CharField(max_length=120)
    uscc = models.CharField(max_length=18)
    kind = models.CharField(max_length=30)
    region_id = models.CharField(max_length=12)
    domain_id = models.CharField(max_length=40, null=True)
    size = models.CharField(max_length=10)
    is_chain_leader = models.BooleanField()
    is_industry_leader = models.BooleanField()
    is_specialised = models.BooleanField()
    is_state_owned = models.BooleanField()
    address = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=40)

    class Meta:
        verbose_name = verbose_name_plural = "单位导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


register(
    Organisation,
    {
        Role.REGION_OPERATOR: "region",
        Role.ORG_OPERATOR: "pk",
        Role.DEPARTMENT: ALL,
        Role.TALENT: "staff__user",
    },
)


# --- enterprises' annual wage reports (措施七) ----------------------------------------------------


class MinimumWage(models.Model):
    """Jiangsu's monthly minimum wage of one area category (一类/二类/三类) from a date, as published
    by the province; the city admin adds a row when the province raises it (seeded by a migration
    from ``refdata/minimum_wages.csv``). A wage report's averages are checked against 12 × the
    lowest category in force on 1 January of its year (``wages.annual_minimum``)."""

    effective_from = models.DateField("执行日期")
    category = models.CharField("地区类别", max_length=10)
    monthly = models.PositiveIntegerField("月最低工资标准（元）")
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "江苏省最低工资标准"
        ordering = ["-effective_from", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from", "category"], name="minimum_wage_once_per_category"
            )
        ]

    def __str__(self) -> str:
        return "%s起 %s %d元/月" % (self.effective_from.isoformat(), self.category, self.monthly)


_COUNT = [MinValueValidator(0)]


class WageReport(models.Model):
    """One enterprise's wages for one year (年度工资报告): headcount and average annual wage (元 per
    person) of all staff, of its skilled workers, high-skilled workers, 特级/首席技师 and, for
    reference, 正高级 titled staff; and whether it has an enterprise annuity. A group with no one
    in it has no average (None). Growth and compliance are computed against the same enterprise's
    report of the year before (``selectors.wage_report_list``), never stored."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="企业", on_delete=models.PROTECT, related_name="wage_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    staff_count = models.PositiveIntegerField("职工人数", validators=_COUNT)
    staff_avg_wage = models.PositiveIntegerField("职工人均年工资（元）", null=True, blank=True)
    skilled_count = models.PositiveIntegerField("技能人才人数", validators=_COUNT)
    skilled_avg_wage = models.PositiveIntegerField("技能人才人均年工资（元）", null=True, blank=True)
    high_skilled_count = models.PositiveIntegerField("高技能人才人数", validators=_COUNT)
    high_skilled_avg_wage = models.PositiveIntegerField("高技能人才人均年工资（元）", null=True, blank=True)
    principal_count = models.PositiveIntegerField("特级技师、首席技师人数", default=0, validators=_COUNT)
    principal_avg_wage = models.PositiveIntegerField(
        "特级技师、首席技师人均年工资（元）", null=True, blank=True
    )
    senior_title_count = models.PositiveIntegerField("正高级职称人员人数", default=0, validators=_COUNT)
    senior_title_avg_wage = models.PositiveIntegerField(
        "正高级职称人员人均年工资（元）", null=True, blank=True
    )
    has_annuity = models.BooleanField("已建立企业年金", default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "企业工资报告"
        ordering = ["-year", "organisation__name"]
        permissions = [
            ("export_wagereport", "导出企业工资报告"),
            ("import_wagereport", "导入企业工资报告"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="wage_report_once_a_year"),
        ]

    def __str__(self) -> str:
        return "%s %d年度工资报告" % (self.organisation.name, self.year)


class WageReportStaging(models.Model):
    """Rows of a wage reports import waiting to be merged."""

    job_id = models.BigIntegerField(db_index=True)
    row_no = models.IntegerField()
    organisation_id = models.BigIntegerField()
    year = models.IntegerField()
    staff_count = models.IntegerField()
    staff_avg_wage = models.IntegerField(null=True)
    skilled_count = models.IntegerField()
    skilled_avg_wage = models.IntegerField(null=True)
    high_skilled_count = models.IntegerField()
    high_skilled_avg_wage = models.IntegerField(null=True)
    principal_count = models.IntegerField()
    principal_avg_wage = models.IntegerField(null=True)
    senior_title_count = models.IntegerField()
    senior_title_avg_wage = models.IntegerField(null=True)
    has_annuity = models.BooleanField()

    class Meta:
        verbose_name = verbose_name_plural = "工资报告导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


class WageSample(models.Model):
    """A random draw of enterprises whose skilled workers' wage growth fell short, for inspection
    (抽查): who drew, when, from which list (year, region, how many), with which seed, and the
    reports drawn. The draw is ``random.Random(seed).sample`` of the short list ordered by report
    id, so anyone can repeat it from the record."""

    year = models.PositiveSmallIntegerField("年度")
    region = models.ForeignKey(
        "core.Region", verbose_name="县区", null=True, blank=True, on_delete=models.PROTECT
    )
    state_owned = models.BooleanField("仅国有企业", null=True, blank=True)
    population = models.PositiveIntegerField("未达标企业数")
    size = models.PositiveIntegerField("抽取数量")
    seed = models.BigIntegerField("随机种子")
    reports = models.ManyToManyField(WageReport, verbose_name="抽中的工资报告", related_name="samples")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "工资增幅抽查"
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return "%d年度工资增幅抽查（%d家）" % (self.year, self.size)


register(
    WageReport,
    {
        Role.REGION_OPERATOR: "organisation__region",
        Role.ORG_OPERATOR: "organisation",
        Role.DEPARTMENT: ALL,
    },
)
register(WageSample, {Role.REGION_OPERATOR: "region", Role.DEPARTMENT: ALL})
register_reference(MinimumWage)
