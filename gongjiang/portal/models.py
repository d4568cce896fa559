"""The talent's own space (corrections, share links) and the counters behind rate limits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ScopedManager, register
from gongjiang.workflow.models import StepFields

from .choices import CorrectionField, CorrectionKind, CorrectionStatus


class RateWindow(models.Model):
    """How many attempts one client (a keyed digest of what it is limited by, never the address
    itself) made in one fixed window. A row in the database, so that every web process counts
    the same attempts; old windows are deleted as new ones open."""

    key = models.CharField("限制对象摘要", max_length=64)
    window_start = models.DateTimeField("窗口开始")
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "访问频率计数"
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="rate_window_once")]
        indexes = [models.Index(fields=["window_start"], name="rate_window_start")]

    def __str__(self) -> str:
        return "%s %s %d" % (self.key[:8], self.window_start, self.count)


class Correction(StepFields):
    """A talent's request (申请更正) to correct a field of their record or of one of their
    certificates, or to add a certificate that is missing. The county operator of the person's
    region accepts (the change is applied through the talents services), returns it for 补正,
    or rejects it with a reason."""

    person = models.ForeignKey(
        "talents.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="corrections"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("更正类型", max_length=12, choices=CorrectionKind.choices)
    certificate = models.ForeignKey(
        "talents.Certificate",
        verbose_name="证书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    field = models.CharField("更正项目", max_length=20, choices=CorrectionField.choices, blank=True)
    current_value = models.CharField("原内容", max_length=200, blank=True)
    proposed_value = models.CharField("应更正为", max_length=200, blank=True)
    # A missing certificate, as the talent reports it (the county checks it against the original).
    cert_type = models.ForeignKey(
        "core.CertificateType", verbose_name="证书类型", null=True, blank=True, on_delete=models.PROTECT
    )
    level = models.ForeignKey(
        "core.SkillLevel", verbose_name="技能等级", null=True, blank=True, on_delete=models.PROTECT
    )
    cert_number = models.CharField("证书编号", max_length=40, blank=True)
    issuer = models.CharField("发证机构", max_length=120, blank=True)
    issue_date = models.DateField("发证日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    occupation_name = models.CharField("职业（工种）", max_length=80, blank=True)
    explanation = models.CharField("说明", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.SUBMITTED
    )
    decision_note = models.CharField("办理意见", max_length=300, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    events = GenericRelation("workflow.Event", related_query_name="correction")

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "更正申请"
        ordering = ["-id"]
        permissions = [("review_correction", "办理更正申请")]

    def __str__(self) -> str:
        return "%s · %s" % (self.person.name, self.summary)

    @property
    def summary(self) -> str:
        if self.kind == CorrectionKind.MISSING:
            return "补录证书 %s" % self.cert_number
        return "%s：%s → %s" % (self.get_field_display(), self.current_value or "（空）", self.proposed_value)


class ShareLink(models.Model):
    """A link that shows a talent's skills passport without login (ID masked), until it expires
    (at most 30 days) or the talent revokes it. Only a digest of the token is stored."""

    person = models.ForeignKey(
        "talents.Person", verbose_name="人员", on_delete=models.CASCADE, related_name="share_links"
    )
    token_digest = models.CharField("令牌摘要", max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "技能护照分享链接"
        ordering = ["-id"]

    def __str__(self) -> str:
        return "分享链接 %d" % self.pk

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


register(
    Correction,
    {Role.REGION_OPERATOR: "person__region", Role.TALENT: "person__user"},
)
register(ShareLink, {Role.TALENT: "person__user"})
