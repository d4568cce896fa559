"""API tokens (what a partner system signs in with) and the answers kept for idempotent writes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongjiang.accounts.scope import ScopedManager, register


class ApiToken(models.Model):
    """A bearer token that acts as its user: the same role, permissions and scope, nothing wider.
    Only a keyed digest of the token is stored; the token itself is shown once, when issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="所属账号", on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=100)
    digest = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("令牌开头", max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["-id"]
        permissions = [("revoke_apitoken", "撤销接口令牌")]

    def __str__(self) -> str:
        return "%s（%s…）" % (self.name, self.prefix)


class IdempotentAnswer(models.Model):
    """The answer to one write sent with an ``Idempotency-Key``: the same key and body again get
    this answer without a second write; the same key with another body is refused (409)."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="+")
    key = models.CharField("幂等键", max_length=100)
    operation = models.CharField("接口", max_length=60)
    body_sha256 = models.CharField("请求摘要", max_length=64)
    status_code = models.PositiveSmallIntegerField("状态码")
    body = models.JSONField("应答", default=dict)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "幂等应答"
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="api_idempotent_once")]

    def __str__(self) -> str:
        return "%s %s" % (self.operation, self.key)


# Tokens are issued and revoked by the city admin only; every other role sees none of them.
register(ApiToken, {})
register(IdempotentAnswer, {})
