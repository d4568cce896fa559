"""Organisations people work for or that act in the policy: enterprises, schools, institutions,
associations, departments."""

from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ALL, ScopedManager, register

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
