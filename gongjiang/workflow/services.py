"""The one way to take a workflow step (and to start a workflow, and to attach files to a step).

``transition_take`` locks the row, checks the actor's scope for the step's action, the source
state, the reason, self-review and the declared conditions, then moves the row, stamps the new
step's start and deadline, runs the app's effect (issuing certificates, setting a level …), and
writes one ``Event`` and one audit entry, all in the caller's transaction or its own. A refused
step raises a Chinese ValidationError (or OutOfScope) and changes nothing. Two people taking the
same step at once: the second waits for the first's lock, then finds the state moved on and is
refused with the state it is now in.
"""

from __future__ import annotations

import datetime
import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import OutOfScope, scope
from gongjiang.accounts.services import audit_record
from gongjiang.core.validators import reason_clean
from gongjiang.jobs import files as stored_files

from .base import RESUBMIT, Transition, Workflow
from .models import Attachment, Event, Notification

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
# What a file must start with, by its extension: PDF, images, and Office files (OOXML and ODF are
# zip files; the older Office formats are OLE compound files).
_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ALLOWED_FILES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".ods": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ppt": _OLE,
    ".wps": _OLE,
    ".et": _OLE,
}


@dataclass
class Effect:
    """What a step's app-specific work adds to the record: audit changes, the history note (when
    it is not the reason), and an amount or level shown on the timeline."""

    changes: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    amount: Decimal | None = None
    level: str = ""


def _stamp(workflow: Workflow, obj, state: str, today: datetime.date) -> None:
    """Enter ``state``: the step starts today, with the deadline the workflow's rules give."""
    obj.status = state
    obj.step_started_on = today
    days = workflow.deadline_days(obj, state) if workflow.deadline_days else None
    obj.due_on = today + datetime.timedelta(days=days) if days else None
    if hook := workflow.on_enter.get(state):
        hook(obj)


def _event(
    workflow: Workflow,
    obj,
    *,
    actor: User | None,
    action: str,
    label: str,
    from_status: str,
    note: str,
    effect: Effect,
    at: datetime.datetime | None = None,
) -> Event:
    return Event.objects.create(
        workflow=workflow.key,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        action_label=label,
        from_status=from_status,
        to_status=obj.status,
        note=(note or "")[:300],
        amount=effect.amount,
        level=effect.level or "",
    )


def _audit(workflow: Workflow, obj, *, actor, action: str, from_status: str, note: str, effect: Effect):
    audit_record(
        actor=actor,
        action="%s.%s" % (workflow.audit_prefix, action),
        obj=obj,
        changes={"status": [from_status, obj.status], workflow.note_key: note[:300], **effect.changes},
    )


def workflow_record(
    *,
    workflow: Workflow,
    obj,
    actor: User | None,
    action: str,
    label: str,
    from_status: str = "",
    note: str = "",
    effect: Effect | None = None,
    files: Iterable = (),
    at: datetime.datetime | None = None,
    audit: bool = True,
) -> Event:
    """Record a step that is not a declared transition (a submission, an import, an edit): one
    history row, its files and (unless the caller audits it itself) one audit entry."""
    effect = effect or Effect()
    event = _event(
        workflow,
        obj,
        actor=actor,
        action=action,
        label=label,
        from_status=from_status,
        note=effect.note if effect.note is not None else note,
        effect=effect,
        at=at,
    )
    attachments_store(obj=obj, event=event, actor=actor, files=files)
    if audit:
        _audit(workflow, obj, actor=actor, action=action, from_status=from_status, note=note, effect=effect)
    return event


@transaction.atomic
def workflow_start(
    *,
    workflow: Workflow,
    obj,
    actor: User,
    state: str,
    action: str = "submit",
    label: str = "提交",
    note: str = "",
    effect: Effect | None = None,
    files: Iterable = (),
) -> Event:
    """Put a new object (already saved or about to be) into its first waiting state: stamps the
    deadline, saves, and records the submission."""
    _stamp(workflow, obj, state, timezone.localdate())
    obj.save()
    return workflow_record(
        workflow=workflow,
        obj=obj,
        actor=actor,
        action=action,
        label=label,
        note=note,
        effect=effect,
        files=files,
    )


def _refuse_state(workflow: Workflow, transition: Transition, obj) -> None:
    if obj.status not in transition.sources:
        refusal = transition.refusal or "当前状态不能办理“%s”" % transition.label
        raise ValidationError(
            "%(refusal)s（当前状态：%(state)s）"
            % {"refusal": refusal, "state": workflow.state_label(obj.status)}
        )


def transition_take(
    *,
    workflow: Workflow,
    obj,
    action: str,
    actor: User,
    reason: str = "",
    files: Iterable = (),
    apply: Callable[[Any], Effect | None] | None = None,
    lock: models.QuerySet | None = None,
    save_fields: list[str] | None = None,
) -> Any:
    """Take the step ``action`` of ``workflow`` on ``obj`` (see the module docstring); returns the
    locked, moved row. ``apply`` does the app's own work on the locked row after the move and may
    refuse with a ValidationError (everything is then rolled back)."""
    transition = workflow.transitions[action]
    with transaction.atomic():
        queryset = lock if lock is not None else workflow.model._default_manager.all()
        obj = queryset.select_for_update(of=("self",)).get(pk=obj.pk)
        permission = transition.permission_for(obj)
        if not scope(workflow.model._default_manager.filter(pk=obj.pk), actor, permission).exists():
            raise OutOfScope("该记录超出了您的数据范围，或您无权办理这一环节，操作未执行")
        _refuse_state(workflow, transition, obj)
        reason = reason_clean(
            reason,
            what=transition.reason,
            message=transition.reason_message,
            field_name=transition.reason_field,
        )
        if transition.review and getattr(obj, workflow.submitter + "_id", None) == actor.pk:
            raise ValidationError(workflow.self_review_message)
        if transition.review and not workflow.reviews_for(obj, actor):
            raise OutOfScope("该记录超出了您的数据范围，或您无权办理这一环节，操作未执行")
        for condition in transition.conditions:
            if refusal := condition(obj):
                raise ValidationError(refusal)
        before = obj.status
        today = timezone.localdate()
        if transition.returns:
            obj.returned_from = before
        if transition.target == RESUBMIT:
            target = obj.returned_from or transition.sources[0]
            obj.returned_from = ""
            _stamp(workflow, obj, target, today)
        elif transition.target is not None:
            _stamp(workflow, obj, transition.target, today)
        if workflow.reason_field and transition.moves:
            setattr(obj, workflow.reason_field, reason if transition.reason else "")
        effect = (apply(obj) if apply else None) or Effect()
        obj.save(update_fields=save_fields)
        workflow_record(
            workflow=workflow,
            obj=obj,
            actor=actor,
            action=action,
            label=transition.label,
            from_status=before,
            note=reason,
            effect=effect,
            files=files,
        )
        _notify_parties(workflow, obj, actor=actor, label=transition.label, reason=reason)
    return obj


# --- notifications -----------------------------------------------------------------------------


def notify(*, users: Iterable, text: str, url: str = "") -> int:
    """Leave ``text`` (with a link) in the inbox of each of ``users`` (accounts or their ids; no
    one twice, inactive accounts skipped). Returns how many were left."""
    ids = {getattr(u, "pk", u) for u in users if u is not None}
    return notify_each((pk, text, url) for pk in sorted(ids))


def notify_each(messages: Iterable[tuple[int, str, str]]) -> int:
    """Leave each (account id, text, link) message; inactive accounts are skipped. Returns how
    many were left."""
    messages = list(messages)
    active = set(
        User.objects.filter(pk__in={m[0] for m in messages}, is_active=True).values_list("pk", flat=True)
    )
    now = timezone.now()
    made = Notification.objects.bulk_create(
        (
            Notification(user_id=pk, created_at=now, text=text[:300], url=url[:300])
            for pk, text, url in messages
            if pk in active
        ),
        batch_size=500,
    )
    return len(made)


def _follow(obj, path: str):
    """The value at a ``a__b__c`` path from ``obj`` (None when a link is missing)."""
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _notify_parties(workflow: Workflow, obj, *, actor, label: str, reason: str) -> None:
    """Tell the submitter and the account that answers for the object (the talent of a person's
    offer, for example) that a step was taken on it, unless they took it themselves."""
    parties = {
        _follow(obj, workflow.submitter),
        _follow(obj, workflow.owner_user) if workflow.owner_user else None,
    }
    parties = {p for p in parties if p is not None and getattr(p, "pk", p) != actor.pk}
    if not parties:
        return
    text = "%(title)s：%(step)s，当前状态“%(state)s”" % {
        "title": workflow.title(obj),
        "step": label,
        "state": workflow.state_label(obj.status),
    }
    if reason:
        text += "（%s）" % reason
    notify(users=parties, text=text, url=workflow.detail_url(obj) if workflow.detail_url else "")


def notifications_read(*, user: User, pk: int | None = None) -> int:
    """Mark the user's own notification ``pk`` (or all of them) read; returns how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


# --- attachments -----------------------------------------------------------------------------


def attachment_check(upload) -> str:
    """Refuse a file that is too big, of a type we do not take, or whose content is not what its
    name says; returns its MIME type."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_FILES:
        raise ValidationError(
            "附件“%(name)s”的类型不支持：请上传 PDF、图片（JPG、PNG）或 Office 文件（Word、Excel、PPT、WPS）"
            % {"name": name}
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            "附件“%(name)s”有 %(mb).1f MB，超过了 20 MB 的上限" % {"name": name, "mb": upload.size / 1048576}
        )
    if upload.size == 0:
        raise ValidationError("附件“%(name)s”是空文件" % {"name": name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_FILES[suffix]):
        raise ValidationError(
            "附件“%(name)s”的内容与其扩展名（%(ext)s）不符，请检查文件" % {"name": name, "ext": suffix}
        )
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def attachments_store(*, obj, event: Event | None, actor: User | None, files: Iterable) -> list[Attachment]:
    """Check and encrypt each uploaded file, linked to ``obj`` and the step ``event``. Called last
    in a step, after every rule has passed, so a refused step stores no file."""
    files = list(files)
    if not files:
        return []
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError("一次最多上传%d个附件" % MAX_ATTACHMENTS)
    if actor is None:
        raise ValidationError("附件须由登录用户上传")
    mimes = [attachment_check(upload) for upload in files]
    content_type = ContentType.objects.get_for_model(type(obj))
    made = []
    for upload, mime in zip(files, mimes, strict=True):
        stored, sha256, size = stored_files.store_encrypted(upload, suffix=".att")
        made.append(
            Attachment.objects.create(
                content_type=content_type,
                object_id=obj.pk,
                event=event,
                name=PurePath(upload.name).name[:200],
                size=size,
                mime=mime,
                stored=stored,
                sha256=sha256,
                uploaded_by=actor,
            )
        )
    return made
