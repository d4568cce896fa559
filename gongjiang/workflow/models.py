"""The history of every workflow step, the files attached to steps, and the deadline rules of the
workflows whose deadlines are not part of a richer per-type rule (carriers keep theirs)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator
from django.db import models


class Event(models.Model):
    """One step in the history of an application: who took it, when, from which state to which,
    and why. Written by ``transition_take`` in the same transaction as the step; never edited.
    Read through the object it belongs to (the object's scope is its scope)."""

    workflow = models.CharField("流程", max_length=30, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField("对象")
    subject = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=30)
    action_label = models.CharField("操作名称", max_length=40)
    from_status = models.CharField("原状态", max_length=30, blank=True)
    to_status = models.CharField("新状态", max_length=30, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    level = models.CharField("级别", max_length=10, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="event_subject_at")]

    def __str__(self) -> str:
        return "%s %s" % (self.at, self.action_label)

    def get_action_display(self) -> str:
        return self.action_label

    def _label(self, value: str) -> str:
        from .base import _REGISTRY

        workflow = _REGISTRY.get(self.workflow)
        return workflow.state_label(value) if workflow else value

    def get_from_status_display(self) -> str:
        return self._label(self.from_status)

    def get_to_status_display(self) -> str:
        return self._label(self.to_status)


class Attachment(models.Model):
    """A file handed in with a step (a submission, a 补正, a return), stored SM4-encrypted like
    import files. Read through the object it belongs to."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField("对象")
    event = models.ForeignKey(
        Event, verbose_name="办理记录", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    mime = models.CharField("类型", max_length=100)
    stored = models.CharField("存储名", max_length=80, unique=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_subject")]

    def __str__(self) -> str:
        return self.name


class StepDeadline(models.Model):
    """How many days a waiting step of a workflow may take (data the city admin edits in 参考数据;
    seeded by a migration). A step without a row has no deadline."""

    workflow = models.CharField("流程", max_length=30)
    state = models.CharField("环节", max_length=30)
    days = models.PositiveSmallIntegerField("办理期限（天）", validators=[MaxValueValidator(365)])

    class Meta:
        verbose_name = verbose_name_plural = "办理期限"
        ordering = ["workflow", "state"]
        constraints = [models.UniqueConstraint(fields=["workflow", "state"], name="step_deadline_once")]

    def __str__(self) -> str:
        from .base import _REGISTRY

        workflow = _REGISTRY.get(self.workflow)
        if workflow is None:
            return "%s %s" % (self.workflow, self.state)
        return "%s · %s" % (workflow.label, workflow.state_label(self.state))


def step_days(workflow: str, state: str) -> int | None:
    """The deadline in days of ``state`` in ``workflow`` (None: none)."""
    return StepDeadline.objects.filter(workflow=workflow, state=state).values_list("days", flat=True).first()


class StepFields(models.Model):
    """The fields the one mechanism stamps on a workflow object: when its current step began, by
    when it is due, and (after a 补正) which step to go back to."""

    step_started_on = models.DateField("当前环节开始日期", null=True, blank=True)
    due_on = models.DateField("当前环节办理期限", null=True, blank=True, db_index=True)
    returned_from = models.CharField("退回环节", max_length=30, blank=True)

    class Meta:
        abstract = True

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return bool(self.due_on and self.due_on < timezone.localdate())


class Notification(models.Model):
    """A message to one account: a step taken on something the account submitted or answers for,
    a new offer, a reminder or a 督办 notice. Made by ``workflow.services.notify``; the account
    reads its own (``workflow.selectors.notifications_for``) and marks them read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField("时间", db_index=True)
    text = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=300, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "消息通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


def _register_scope() -> None:
    from gongjiang.accounts.choices import Role
    from gongjiang.accounts.scope import ByUser, register

    register(Notification, {role: ByUser("user") for role in Role.values})


_register_scope()
