"""Writes of the accounts app: the audit trail and user administration."""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from gongjiang.common.middleware import current_request_context
from gongjiang.core.crypto import get_provider
from gongjiang.core.validators import mask_phone, mask_resident_id

from .choices import AuditResult
from .models import AuditEntry, User

AUDIT_PURPOSE = "audit-chain"
_AUDIT_LOCK_KEY = 0x61756469  # "audi": serialises the chain on PostgreSQL
_ID_RE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
_PHONE_RE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _scrub(value: Any) -> Any:
    """Mask anything that looks like an ID or mobile number: audit rows never hold them in clear."""
    if isinstance(value, str):
        value = _ID_RE.sub(lambda m: mask_resident_id(m.group(0)), value)
        return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def audit_payload(entry: AuditEntry) -> bytes:
    """The canonical bytes an entry's MAC covers (its content and the previous MAC)."""
    data = {
        "at": entry.at.isoformat(),
        "user": entry.user_id,
        "username": entry.username,
        "address": entry.address,
        "request_id": entry.request_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": entry.changes,
        "result": entry.result,
        "prev_mac": entry.prev_mac,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()


@transaction.atomic
def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    result: str = AuditResult.OK,
    username: str = "",
) -> AuditEntry:
    """Append one audit row, chained to the previous one, in the caller's transaction: if the
    action rolls back so does its audit row, and if the audit insert fails so does the action."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
    ctx = current_request_context()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    prev = AuditEntry.objects.order_by("-id").values_list("mac", flat=True).first() or ""
    entry = AuditEntry(
        at=timezone.now(),
        user=actor if actor is not None and actor.pk else None,
        username=(actor.username if actor is not None and actor.pk else username)[:150],
        address=ctx.address,
        request_id=ctx.request_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=_scrub(object_repr)[:200],
        # JSON round-trip first so the MAC covers exactly what the database will give back.
        changes=_scrub(json.loads(json.dumps(changes or {}, default=str))),
        result=result,
        prev_mac=prev,
    )
    entry.mac = get_provider().mac(audit_payload(entry), purpose=AUDIT_PURPOSE)
    entry.save()
    return entry


def audit_verify() -> list[int]:
    """Ids of the rows whose MAC or chain link does not verify (empty when the log is intact)."""
    provider = get_provider()
    bad: list[int] = []
    prev = ""
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        expected = provider.mac(audit_payload(entry), purpose=AUDIT_PURPOSE)
        if entry.mac != expected or entry.prev_mac != prev:
            bad.append(entry.id)
        prev = entry.mac
    return bad


# --- Checkpoints of the chain head --------------------------------------------------------
# The chain shows an edit or a deleted row in the middle, but not the newest rows (or all rows)
# deleted: what is left still links up. So the head of the chain (count, last id, last MAC) is
# signed with the audit key at intervals and written outside the table: appended to a file under
# the data directory and to the log. ``audit_verify_checkpoint`` checks the table against the latest.

CHECKPOINT_PURPOSE = "audit-checkpoint"
checkpoint_log = logging.getLogger("gongjiang.audit.checkpoint")


def checkpoint_path() -> Path:
    from django.conf import settings

    return Path(settings.GONGJIANG_AUDIT_CHECKPOINT_FILE)


def _checkpoint_payload(point: dict) -> bytes:
    fields = {k: point[k] for k in ("at", "count", "last_id", "last_mac")}
    return json.dumps(fields, sort_keys=True).encode()


def audit_head() -> dict:
    """The chain's head now: how many rows, the last id and its MAC."""
    last = AuditEntry.objects.order_by("-id").values("id", "mac").first() or {"id": 0, "mac": ""}
    return {"count": AuditEntry.objects.count(), "last_id": last["id"], "last_mac": last["mac"]}


def audit_checkpoint() -> dict:
    """Sign the chain head and write it outside the table (the checkpoint file and the log)."""
    point = {"at": timezone.now().isoformat(), **audit_head()}
    point["sig"] = get_provider().mac(_checkpoint_payload(point), purpose=CHECKPOINT_PURPOSE)
    line = json.dumps(point, sort_keys=True)
    path = checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    checkpoint_log.warning("audit checkpoint %s", line)
    return point


def audit_latest_checkpoint() -> dict | None:
    """The last checkpoint in the file whose signature verifies (None when there is none). A line
    with a bad signature is an alarm of its own: ``audit_verify_checkpoint`` reports it."""
    try:
        lines = checkpoint_path().read_text().splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        try:
            point = json.loads(line)
            point["valid"] = point.get("sig") == get_provider().mac(
                _checkpoint_payload(point), purpose=CHECKPOINT_PURPOSE
            )
        except (ValueError, KeyError, TypeError):
            point = {"valid": False}
        return point
    return None


def audit_verify_checkpoint() -> list[str]:
    """What does not match the latest checkpoint, in Chinese (empty when all does, or when no
    checkpoint has been written yet): a bad signature, the checkpoint's last row missing or
    changed, fewer rows up to it than it counted."""
    point = audit_latest_checkpoint()
    if point is None:
        return []
    if not point["valid"]:
        return ["检查点文件 %s 的最后一条签名无效（被改动或不是本系统写的）" % checkpoint_path()]
    problems = []
    mac = AuditEntry.objects.filter(id=point["last_id"]).values_list("mac", flat=True).first()
    if point["last_id"] and mac is None:
        problems.append("检查点时的最后一条记录（编号 %d）已不存在：日志被截断或删除" % point["last_id"])
    elif point["last_id"] and mac != point["last_mac"]:
        problems.append("检查点时的最后一条记录（编号 %d）已被改动" % point["last_id"])
    up_to = AuditEntry.objects.filter(id__lte=point["last_id"]).count()
    if up_to != point["count"]:
        problems.append(
            "检查点（%s）时共 %d 条记录，现在截至编号 %d 只有 %d 条：有记录被删除"
            % (point["at"][:19], point["count"], point["last_id"], up_to)
        )
    return problems


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that differ; used in update audit rows."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


@transaction.atomic
def password_changed(*, actor: User) -> None:
    """After a user sets a password of their own: the one-time password requirement is lifted."""
    User.objects.filter(pk=actor.pk).update(must_change_password=False)
    audit_record(actor=actor, action="password.change", obj=actor)


# --- accounts and roles (the security administrator's work) ---------------------------------


def _one_time_password() -> str:
    """A random first password, shown once; the account must change it at first login."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    return "Gj-" + "".join(secrets.choice(alphabet) for _ in range(14)) + "!"


def _check_separation(*, actor: User, user: User | None, role: str) -> None:
    """三员分立 and no self-promotion: nobody changes their own account's role, and an account never
    moves between roles when one of the two is an administrator's (system, security, audit): it
    would then have held both, one after the other; such a person gets a separate account."""
    from django.core.exceptions import ValidationError

    from .choices import ADMIN_ROLES

    if user is None:
        return
    if user.pk == actor.pk and role != user.role:
        raise ValidationError({"role": "不能变更本人账号的角色"})
    if role != user.role and (role in ADMIN_ROLES or user.role in ADMIN_ROLES):
        raise ValidationError(
            {
                "role": "三员分立：系统、安全、审计管理员账号不能改任其他角色，其他账号也不能改任管理员；请另建账号"
            }
        )


@transaction.atomic
def account_create(
    *, actor: User, username: str, role: str, region_id: str | None = None, organisation_id: int | None = None
) -> tuple[User, str]:
    """Open an account with one role and its binding; returns it with its one-time password."""
    _check_separation(actor=actor, user=None, role=role)
    password = _one_time_password()
    user = User(
        username=username.strip(),
        role=role,
        region_id=region_id,
        organisation_id=organisation_id,
        must_change_password=True,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor,
        action="account.create",
        obj=user,
        changes={"role": role, "region": region_id, "organisation": organisation_id},
    )
    return user, password


@transaction.atomic
def account_update(
    *,
    actor: User,
    user: User,
    role: str,
    region_id: str | None = None,
    organisation_id: int | None = None,
    is_active: bool = True,
    reset_password: bool = False,
) -> tuple[User, str]:
    """Change an account's role, binding or whether it may sign in (and optionally give it a new
    one-time password, returned; otherwise ""). A role change is audited as such."""
    from django.core.exceptions import ValidationError

    user = User.objects.select_for_update().get(pk=user.pk)
    _check_separation(actor=actor, user=user, role=role)
    if user.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": "不能停用本人的账号"})
    fields = ("role", "region_id", "organisation_id", "is_active")
    before = {f: getattr(user, f) for f in fields}
    user.role, user.region_id, user.organisation_id, user.is_active = (
        role,
        region_id,
        organisation_id,
        is_active,
    )
    password = ""
    if reset_password:
        password = _one_time_password()
        user.set_password(password)
        user.must_change_password = True
    user.full_clean()
    user.save()
    changes = model_changes(before, {f: getattr(user, f) for f in fields})
    if "role" in changes:
        audit_record(actor=actor, action="role.change", obj=user, changes={"role": changes.pop("role")})
    if changes:
        audit_record(actor=actor, action="account.update", obj=user, changes=changes)
    if reset_password:
        audit_record(actor=actor, action="account.password_reset", obj=user)
    return user, password
