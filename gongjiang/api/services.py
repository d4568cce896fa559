"""Writes of the API: issuing and revoking tokens, authenticating a call, idempotent answers, and
writes of rows sent as JSON through the one import pipeline."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.accounts.services import audit_record
from gongjiang.common.excel import open_rows
from gongjiang.core.crypto import get_provider
from gongjiang.core.validators import mask_phone, mask_resident_id, reason_clean
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobMode, JobStatus
from gongjiang.jobs.registry import get_kind
from gongjiang.jobs.services import import_run_file
from gongjiang.portal.services import rate_limit_take

from .models import ApiToken, IdempotentAnswer

TOKEN_PURPOSE = "api-token"  # noqa: S105 (the name of a key derivation, not a secret)
TOKEN_PREFIX = "gj_"  # noqa: S105 (marks a token as ours)
MAX_TOKEN_DAYS = 3660


def token_digest(token: str) -> str:
    """The keyed digest a token is stored and looked up by (the token itself is never stored)."""
    return get_provider().mac(token.encode(), purpose=TOKEN_PURPOSE)


@transaction.atomic
def api_token_create(
    *, actor: User, user: User, name: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a token acting as ``user``; returns the row and the token, which is shown once and
    never again. Only the city admin issues tokens; an inactive account gets none."""
    if actor.role != Role.CITY_ADMIN or not actor.has_perm("api.add_apitoken"):
        raise PermissionDenied("只有市级管理员可以签发接口令牌")
    if not user.is_active:
        raise ValidationError({"user": "该账号已停用，不能签发令牌"})
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": "有效天数应在 1 到 %d 之间" % MAX_TOKEN_DAYS})
    name = (name or "").strip()[:100] or "接口调用"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        digest=token_digest(token),
        prefix=token[:10],
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=days) if days else None,
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=row,
        changes={"user": user.username, "name": name, "expires_at": row.expires_at},
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token at once: every later call with it is refused (401)."""
    if actor.role != Role.CITY_ADMIN or not actor.has_perm("api.revoke_apitoken"):
        raise PermissionDenied("只有市级管理员可以撤销接口令牌")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError("该令牌已经撤销")
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    changes = {"reason": reason_clean(reason, what="撤销原因", keep=200)} if reason.strip() else {}
    audit_record(actor=actor, action="api_token.revoke", obj=token, changes=changes)
    return token


class TokenRefused(Exception):
    """A bearer token that does not admit its call (unknown, expired, revoked, user inactive)."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


class TokenRateLimited(Exception):
    """The token made more calls this minute than it may; ``token`` is known (the call is audited)."""

    def __init__(self, token: ApiToken, retry_at: datetime.datetime):
        super().__init__("rate limited")
        self.token = token
        self.retry_at = retry_at


def api_token_authenticate(raw: str) -> ApiToken:
    """The token a call presents, if it admits the call: known, not revoked, not expired, its user
    active, and within its calls per minute (counted in the database). Records its last use.
    A refusal is audited (without the token)."""
    raw = (raw or "").strip()
    token = None
    if raw.startswith(TOKEN_PREFIX) and len(raw) < 100:
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
    now = timezone.now()
    why = ""
    if token is None:
        why = "unknown"
    elif token.revoked_at is not None:
        why = "revoked"
    elif token.expires_at is not None and token.expires_at <= now:
        why = "expired"
    elif not token.user.is_active:
        why = "user_inactive"
    if why:
        audit_record(
            actor=token.user if token is not None else None,
            action="api.denied",
            object_type="api.apitoken",
            object_id=str(token.pk) if token is not None else "",
            changes={"why": why},
            result="denied",
        )
        raise TokenRefused(why)
    decision = rate_limit_take(
        bucket="api-token",
        limit=settings.GONGJIANG_API_CALLS_PER_MINUTE,
        window=datetime.timedelta(minutes=1),
        client=str(token.pk),
    )
    if not decision.allowed:
        raise TokenRateLimited(token, decision.retry_at)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_call_record(*, token: ApiToken, method: str, path: str, status: int) -> None:
    """Audit one API call: the token, the call and its answer (the request id comes with the row)."""
    audit_record(
        actor=token.user,
        action="api.call",
        object_type="api.apitoken",
        object_id=str(token.pk),
        object_repr=str(token),
        changes={"token": token.pk, "method": method, "path": path[:200], "status": status},
        result="ok" if status < 400 else "failed",
    )


# --- Idempotent writes -------------------------------------------------------------------------


class IdempotencyConflict(Exception):
    """The key was used before with another body (or on another operation)."""


def body_fingerprint(payload: object) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


def idempotent(*, token: ApiToken, key: str, operation: str, payload: object, write) -> tuple[int, dict]:
    """Run ``write()`` (returning (status, body)) once per (token, key). The key's row is inserted
    first, in the write's transaction: a second request with the same key waits on the unique
    index until the first commits, then gets the first one's stored answer and writes nothing.
    The same key with another body is refused."""
    fingerprint = body_fingerprint(payload)
    while True:
        try:
            with transaction.atomic():
                answer = IdempotentAnswer.objects.create(
                    token=token,
                    key=key,
                    operation=operation,
                    body_sha256=fingerprint,
                    status_code=0,
                    body={},
                )
                status, body = write()
                answer.status_code, answer.body = status, body
                answer.save(update_fields=["status_code", "body"])
                return status, body
        except IntegrityError:
            stored = IdempotentAnswer.objects.filter(token=token, key=key).first()
            if stored is None:  # the first request rolled back: try again as the first
                continue
            if stored.body_sha256 != fingerprint or stored.operation != operation:
                raise IdempotencyConflict from None
            return stored.status_code, stored.body


# --- Rows sent as JSON, through the one import pipeline ----------------------------------------


@dataclass
class RowsOutcome:
    status: str  # "succeeded", "rejected", "dry_run", "failed"
    job_id: int
    counts: dict
    errors: list[dict]
    message: str


def _rows_csv(kind, rows: list[dict], fixed: dict[str, str]) -> bytes:
    """The rows as the CSV file the pipeline reads, headed by the KIND's column names."""
    columns = list(kind.columns)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in rows:
        merged = {**row, **fixed}
        writer.writerow(["" if merged.get(c.key) is None else str(merged.get(c.key)) for c in columns])
    return out.getvalue().encode("utf-8")


def _errors_of(job, kind, offset: int) -> list[dict]:
    """Each error of the job's report as {row, field, reason}: row is the position in the sent
    list (1-based), field the column key the reason names (None when it names none)."""
    if not job.output_file:
        return []
    headers = sorted(((c.header, c.key) for c in kind.columns), key=lambda hk: -len(hk[0]))
    errors: list[dict] = []
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        opened = open_rows(path, filename="errors.xlsx")
        first = True
        for _number, cells in opened.rows:
            if first:
                first = False
                continue
            if not cells or cells[0] in (None, ""):
                continue
            try:
                row = int(float(str(cells[0]))) - offset
            except ValueError:
                continue
            reason_text = str(cells[-1] or "")
            for part in _split_reasons(reason_text, headers):
                field = next((key for header, key in headers if part.startswith(header)), None)
                errors.append({"row": row, "field": field, "reason": _masked(part)})
            if len(errors) >= 1000:
                break
    return errors


_ID_RE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
_PHONE_RE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _masked(text: str) -> str:
    """Error messages mask ID and phone numbers, as pages do (the value sent is the caller's own,
    but answers are logged and forwarded by partner systems)."""
    text = _ID_RE.sub(lambda m: mask_resident_id(m.group(0)), text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)


def _split_reasons(text: str, headers) -> list[str]:
    """The reasons joined with "；" in a report cell, split again where a column's reason starts."""
    parts: list[str] = []
    for piece in text.split("；"):
        if parts and not any(piece.startswith(h) for h, _k in headers):
            parts[-1] += "；" + piece
        else:
            parts.append(piece)
    return [p for p in parts if p]


def rows_import(
    *,
    actor: User,
    kind: str,
    rows: list[dict],
    fixed: dict[str, str] | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
) -> RowsOutcome:
    """Write ``rows`` (dicts by the KIND's column keys) through the one import pipeline, as a
    file import by ``actor`` would: the same checks, reasons, job record and audit; all or nothing
    unless ``valid_only``. ``fixed`` sets a column for every row (e.g. the batch in the path)."""
    import_kind = get_kind(kind)
    if not actor.has_perm(import_kind.permission):
        raise PermissionDenied
    if not rows:
        raise ValidationError("没有数据行")
    if len(rows) > settings.GONGJIANG_API_MAX_ROWS:
        raise ValidationError("一次最多提交 %d 行" % settings.GONGJIANG_API_MAX_ROWS)
    data = _rows_csv(import_kind, rows, fixed or {})
    mode = JobMode.DRY_RUN if dry_run else (JobMode.VALID_ONLY if valid_only else JobMode.COMMIT)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("api-%s.csv" % kind)
        path.write_bytes(data)
        job = import_run_file(actor=actor, kind=kind, path=path, mode=mode)
    counts = {
        key: job.result.get(key, 0) for key in ("rows", "accepted", "rejected", *import_kind.result_keys)
    }
    if job.status == JobStatus.FAILED:
        status = "failed"
    elif job.status == JobStatus.REJECTED:
        status = "rejected"
    elif dry_run:
        status = "dry_run"
    else:
        status = "succeeded"
    return RowsOutcome(
        status=status,
        job_id=job.pk,
        counts=counts,
        errors=_errors_of(job, import_kind, offset=1),
        message=job.message,
    )
