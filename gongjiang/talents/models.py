"""The talent database: persons (技能档案) and their skill certificates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ScopedManager, register
from gongjiang.common.badges import StatusField
from gongjiang.core.crypto import decrypt
from gongjiang.core.validators import mask_phone, mask_resident_id

from .choices import CertificateSource, CertificateStatus, Gender

# Keys into reference data (codes of regions, levels, domains, occupations, certificate types):
# checked by the converters and forms that set them and protected from deletion by PROTECT, but
# without a database trigger per row and without PostgreSQL's extra LIKE index on each code, which
# together cost more than the rest of a million-row import (docs/decisions/007).
REFDATA_KEY = {"db_constraint": False, "db_index": False}


class Person(models.Model):
    """A skilled worker. The ID and phone numbers are held only as SM4 ciphertext, with a keyed
    SM3 digest of the ID for exact lookup and uniqueness. The ``highest_level``, ``is_high_skilled``
    and ``high_skilled_since`` fields are derived from the certificates by
    ``services.persons_refresh_derived`` and never set by hand."""

    name = models.CharField("姓名", max_length=40)
    id_cipher = models.TextField("身份证号（密文）")
    id_digest = models.CharField("身份证号摘要", max_length=64)
    phone_cipher = models.TextField("手机号（密文）", blank=True)
    phone_digest = models.CharField("手机号摘要", max_length=64, blank=True)
    birth_date = models.DateField("出生日期")
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name="工作所在县区", on_delete=models.PROTECT, **REFDATA_KEY
    )
    employer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="工作单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    occupation = models.ForeignKey(
        "core.Occupation",
        verbose_name="职业（工种）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        **REFDATA_KEY,
    )
    domain = models.ForeignKey(
        "core.Domain", verbose_name="重点领域", null=True, blank=True, on_delete=models.PROTECT, **REFDATA_KEY
    )
    introduced_on = models.DateField("引进日期", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="个人账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    highest_level = models.ForeignKey(
        "core.SkillLevel",
        verbose_name="最高有效等级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        **REFDATA_KEY,
    )
    is_high_skilled = models.BooleanField("高技能人才", default=False)
    high_skilled_since = models.DateField("成为高技能人才日期", null=True, blank=True, db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        ordering = ["-id"]
        permissions = [
            ("export_person", "导出人员"),
            ("reveal_person", "查看完整身份证号和手机号"),
        ]
        constraints = [models.UniqueConstraint(fields=["id_digest"], name="person_id_digest_unique")]
        indexes = [
            models.Index(fields=["region", "-id"], name="person_region_id"),
            models.Index(fields=["is_high_skilled", "region"], name="person_high_region"),
            # Name prefix search (LIKE '王%') on PostgreSQL needs the pattern operator class.
            models.Index(fields=["name"], name="person_name", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["occupation"], name="person_occupation"),
            models.Index(fields=["highest_level"], name="person_highest_level"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.introduced_on and self.introduced_on > datetime.date.today():
            raise ValidationError({"introduced_on": "引进日期不能晚于今天"})

    @property
    def id_number(self) -> str:
        return decrypt(self.id_cipher)

    @property
    def phone(self) -> str:
        return decrypt(self.phone_cipher) if self.phone_cipher else ""

    @property
    def id_masked(self) -> str:
        return mask_resident_id(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone_cipher else ""


class Certificate(models.Model):
    """A skill certificate (or an appointment as 特级技师/首席技师) held by a person."""

    person = models.ForeignKey(
        Person,
        verbose_name="持证人",
        on_delete=models.PROTECT,
        related_name="certificates",
        db_index=False,  # led by certificate_person_status
    )
    cert_type = models.ForeignKey(
        "core.CertificateType", verbose_name="证书类型", on_delete=models.PROTECT, **REFDATA_KEY
    )
    level = models.ForeignKey(
        "core.SkillLevel",
        verbose_name="技能等级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        **REFDATA_KEY,
    )
    occupation = models.ForeignKey(
        "core.Occupation",
        verbose_name="职业（工种）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        **REFDATA_KEY,
    )
    occupation_name = models.CharField("证书所载职业（工种）", max_length=80, blank=True)
    number = models.CharField("证书编号", max_length=40)
    issuer = models.CharField("发证机构", max_length=120)
    issue_date = models.DateField("发证日期", db_index=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    status = StatusField(
        "状态", max_length=10, choices_class=CertificateStatus, default=CertificateStatus.VALID
    )
    source = models.CharField(
        "来源", max_length=12, choices=CertificateSource.choices, default=CertificateSource.MANUAL
    )
    revoked_reason = models.CharField("撤销原因", max_length=200, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "证书"
        ordering = ["issue_date", "id"]
        permissions = [
            ("revoke_certificate", "撤销证书"),
            ("export_certificate", "导出证书"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="certificate_number_unique_per_issuer"),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="certificate_person_status"),
            models.Index(fields=["level"], name="certificate_level"),
            # Public verification finds a certificate by its number alone (portal.selectors).
            models.Index(fields=["number"], name="certificate_number"),
        ]

    def __str__(self) -> str:
        return f"证书 {self.number}"

    def clean(self) -> None:
        """One-row rules: the level must fit the certificate type (none for 专项职业能力)."""
        errors = {}
        if self.cert_type_id:
            cert_type = self.cert_type
            if not cert_type.has_level and self.level_id:
                errors["level"] = "%s没有技能等级，请不要填写等级" % cert_type.name
            elif cert_type.has_level and not self.level_id:
                errors["level"] = "%s必须填写技能等级" % cert_type.name
            elif self.level_id and not cert_type.levels_allowed.filter(pk=self.level_id).exists():
                allowed = "、".join(cert_type.levels_allowed.values_list("name", flat=True))
                errors["level"] = "%s的等级只能是：%s" % (cert_type.name, allowed)
        if self.issue_date and self.issue_date > datetime.date.today():
            errors["issue_date"] = "发证日期不能晚于今天"
        if self.valid_until and self.issue_date and self.valid_until < self.issue_date:
            errors["valid_until"] = "有效期不能早于发证日期"
        if errors:
            raise ValidationError(errors)


class RosterRow(models.Model):
    """The columns of a converted roster row (a person and at most one certificate), shared by the
    staging tables of the KINDs that carry persons. Plain columns, no foreign keys: written with
    COPY, read by set-based SQL. The merge reads a job's rows by ``(job_id, row_no)`` only: an index
    on ``job_id`` alone made every lookup of one row scan the whole job (docs/decisions/018)."""

    job_id = models.BigIntegerField()
    row_no = models.IntegerField()
    name = models.CharField(max_length=40)
    id_digest = models.CharField(max_length=64)
    id_cipher = models.TextField()
    phone_cipher = models.TextField(null=True)
    phone_digest = models.CharField(max_length=64, null=True)
    birth_date = models.DateField()
    gender = models.CharField(max_length=1)
    region_id = models.CharField(max_length=12)
    employer_id = models.BigIntegerField(null=True)
    employer_uscc = models.CharField(max_length=18, null=True)
    employer_name = models.CharField(max_length=120, null=True)
    occupation_id = models.CharField(max_length=14, null=True)
    occupation_name = models.CharField(max_length=80, null=True)
    domain_id = models.CharField(max_length=40, null=True)
    introduced_on = models.DateField(null=True)
    cert_type_id = models.CharField(max_length=20, null=True)
    level_id = models.CharField(max_length=12, null=True)
    cert_number = models.CharField(max_length=40, null=True)
    issuer = models.CharField(max_length=120, null=True)
    issue_date = models.DateField(null=True)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["job_id", "row_no"], name="%(app_label)s_%(class)s_job_row")]

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


class RosterStaging(RosterRow):
    """Rows of a roster import, converted and checked, waiting to be merged (one job at a time
    per ``job_id``)."""

    class Meta(RosterRow.Meta):
        verbose_name = verbose_name_plural = "花名册导入暂存"

    def __str__(self) -> str:
        return f"job {self.job_id} row {self.row_no}"


register(Person, {Role.REGION_OPERATOR: "region", Role.ORG_OPERATOR: "employer", Role.TALENT: "user"})
register(
    Certificate,
    {
        Role.REGION_OPERATOR: "person__region",
        Role.ORG_OPERATOR: "person__employer",
        Role.TALENT: "person__user",
    },
)
