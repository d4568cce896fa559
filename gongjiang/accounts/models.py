"""Users, what binds them to their data scope, and the append-only audit trail."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from .choices import ADMIN_ROLES, AuditResult, Role
from .scope import ScopedManager


class CaseInsensitiveUserManager(UserManager):
    def get_by_natural_key(self, username: str):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A platform account. The role says what it may do; the binding (region, organisation or the
    person record, which points here) says which rows it may do it to."""

    role = models.CharField("角色", max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "core.Region", verbose_name="所属县区", null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name="所属单位/部门", null=True, blank=True, on_delete=models.PROTECT
    )
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)

    objects = CaseInsensitiveUserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            # No superuser: an account's powers are its one role (a superuser flag would be a
            # second role holding every permission).
            models.CheckConstraint(
                condition=models.Q(is_superuser=False, is_staff=False), name="accounts_user_no_superuser"
            ),
            # 三员分立: an administrator's account is bound to nothing else.
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(ADMIN_ROLES))
                | models.Q(region__isnull=True, organisation__isnull=True),
                name="accounts_user_admin_unbound",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.role == Role.REGION_OPERATOR and not self.region_id:
            raise ValidationError({"region": "县区管理员必须绑定一个县区"})
        if self.role in (Role.ORG_OPERATOR, Role.DEPARTMENT) and not self.organisation_id:
            raise ValidationError({"organisation": "单位用户和部门用户必须绑定一个单位或部门"})
        if self.is_superuser or self.is_staff:
            raise ValidationError("不设超级用户：账号的权限只来自它的一个角色（三员分立）")
        if self.role in ADMIN_ROLES and (self.region_id or self.organisation_id):
            raise ValidationError("系统、安全、审计管理员账号不绑定县区或单位（三员分立）")
        if self.username and User.objects.filter(username__iexact=self.username).exclude(pk=self.pk).exists():
            raise ValidationError({"username": "该用户名已被使用（不区分大小写）"})

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return (self.first_name or "").strip()


class AuditEntry(models.Model):
    """One audited event. Rows are only ever inserted; each carries an HMAC-SM3 over its own
    content and the previous row's MAC, so an edit or deletion breaks the chain (verify_audit)."""

    at = models.DateTimeField("时间", db_index=True)
    user = models.ForeignKey(
        User, verbose_name="用户", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    address = models.GenericIPAddressField("地址", null=True, blank=True)
    request_id = models.CharField("请求号", max_length=32, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("内容", default=dict, blank=True)
    result = models.CharField("结果", max_length=10, choices=AuditResult.choices, default=AuditResult.OK)
    prev_mac = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("审计日志只能追加，不能删除")
