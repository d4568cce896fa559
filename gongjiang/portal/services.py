"""Writes of the portal: rate-limit counters, audited verification lookups, corrections, talent
accounts and share links."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.accounts.scope import OutOfScope, ensure_in_scope
from gongjiang.accounts.services import audit_record
from gongjiang.common.middleware import current_request_context
from gongjiang.core.crypto import get_provider
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.services import PersonData, certificate_correct, certificate_create, person_update
from gongjiang.workflow.services import Effect, transition_take, workflow_start

from .choices import (
    CERTIFICATE_FIELDS,
    DATE_FIELDS,
    PERSON_FIELDS,
    CorrectionField,
    CorrectionKind,
    CorrectionStatus,
)
from .models import Correction, RateWindow, ShareLink
from .selectors import Verification
from .workflows import CORRECTION_WORKFLOW

RATE_PURPOSE = "rate-limit-key"
NAME_PURPOSE = "audit-verify-name"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    retry_at: datetime.datetime  # when the current window closes


def rate_limit_take(
    *,
    bucket: str,
    limit: int,
    window: datetime.timedelta = datetime.timedelta(hours=1),
    client: str | None = None,
) -> RateDecision:
    """Count one attempt of the current client (its address unless ``client`` is given) in
    ``bucket`` and say whether it is within ``limit`` attempts per fixed ``window``. The counter is
    a database row incremented in SQL, so several web processes share it; the client is kept only
    as a keyed digest."""
    client = client if client is not None else (current_request_context().address or "unknown")
    key = get_provider().mac(("%s|%s" % (bucket, client)).encode(), purpose=RATE_PURPOSE)
    now = timezone.now()
    seconds = int(window.total_seconds())
    start = datetime.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=datetime.UTC)
    with transaction.atomic():
        updated = RateWindow.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another process opened the window first
                RateWindow.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
            RateWindow.objects.filter(window_start__lt=start - window).delete()
        count = RateWindow.objects.filter(key=key, window_start=start).values_list("count", flat=True).get()
    return RateDecision(allowed=count <= limit, count=count, retry_at=start + window)


def name_digest(name: str) -> str:
    """A keyed digest of a name typed into verification: the audit row can match repeated
    lookups of one name without holding it in clear."""
    return get_provider().mac(name.strip().encode(), purpose=NAME_PURPOSE)


def verification_audit(
    *, via: str, result: Verification | None, number: str = "", name: str = "", refused: bool = False
) -> None:
    """One audit row per public lookup: how (form, link, api), the number asked for, a digest of
    the name, and what was answered (or that the lookup was refused by the rate limit)."""
    outcome = "rate_limited" if refused else (result.status if result else "not_found")
    audit_record(
        actor=None,
        action="certificate.verify",
        object_type="talents.certificate",
        object_id=str(result.certificate_id) if result else "",
        changes={
            "via": via,
            "number": number[:40],
            "name_digest": name_digest(name) if name else "",
            "outcome": outcome,
        },
        result="denied" if refused else "ok",
        username="公众",
    )


class RateLimited(Exception):
    """Too many attempts from this client in the current window; try again at ``retry_at``."""

    def __init__(self, retry_at: datetime.datetime):
        super().__init__("rate limited")
        self.retry_at = retry_at


def verification_lookup(
    *, via: str, number: str = "", name: str = "", token: str = ""
) -> Verification | None:
    """One public verification (by number and name, or by signed link): counted against the
    client's hourly limit, answered from the selectors, audited either way. Raises RateLimited."""
    from django.conf import settings

    from .selectors import certificate_verify, certificate_verify_token

    decision = rate_limit_take(bucket="verify", limit=settings.GONGJIANG_VERIFY_LIMIT_PER_HOUR)
    if not decision.allowed:
        verification_audit(via=via, result=None, number=number, name=name, refused=True)
        raise RateLimited(decision.retry_at)
    if token:
        result = certificate_verify_token(token=token)
        number = result.number if result else ""
    else:
        result = certificate_verify(number=number, name=name)
    verification_audit(via=via, result=result, number=number, name=name)
    return result


# --- corrections (申请更正) on the one workflow mechanism -----------------------------------------


@dataclass
class CorrectionData:
    """What the talent reports: a field and its right value, or a missing certificate."""

    kind: str
    certificate_id: int | None = None
    field: str = ""
    proposed_value: str = ""
    explanation: str = ""
    cert_type_id: str | None = None
    level_id: str | None = None
    cert_number: str = ""
    issuer: str = ""
    issue_date: datetime.date | None = None
    valid_until: datetime.date | None = None
    occupation_name: str = ""


def _current_value(person, certificate, field: str) -> str:
    source = certificate if certificate is not None else person
    value = getattr(source, field, "")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _check_value(field: str, value: str) -> str:
    value = (value or "").strip()
    if not value and field != CorrectionField.INTRODUCED_ON and field != CorrectionField.CERT_VALID_UNTIL:
        raise ValidationError({"proposed_value": "请填写应更正为的内容"})
    if field in DATE_FIELDS and value:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise ValidationError({"proposed_value": "日期请按 2026-03-01 的格式填写"}) from None
    return value[:200]


@transaction.atomic
def correction_submit(*, actor: User, data: CorrectionData, files=()) -> Correction:
    """A talent asks for their own record or certificate to be corrected, or a missing
    certificate to be added; it waits on the county operator of the person's region."""
    person = Person.objects.for_user(actor, "view").filter(user=actor).first()
    if person is None or not actor.has_perm("portal.add_correction"):
        raise OutOfScope("只有已关联技能档案的个人可以申请更正")
    certificate = None
    if data.kind == CorrectionKind.CERTIFICATE:
        certificate = (
            Certificate.objects.for_user(actor, "view").filter(pk=data.certificate_id, person=person).first()
        )
        if certificate is None:
            raise ValidationError({"certificate": "请选择要更正的证书"})
        if data.field not in CERTIFICATE_FIELDS:
            raise ValidationError({"field": "请选择证书上有误的项目"})
    elif data.kind == CorrectionKind.PERSON:
        if data.field not in PERSON_FIELDS:
            raise ValidationError({"field": "请选择有误的项目"})
    elif data.kind != CorrectionKind.MISSING:
        raise ValidationError({"kind": "请选择更正类型"})
    correction = Correction(
        person=person,
        submitted_by=actor,
        kind=data.kind,
        certificate=certificate,
        explanation=(data.explanation or "").strip()[:300],
    )
    if data.kind == CorrectionKind.MISSING:
        correction.cert_type_id = data.cert_type_id
        correction.level_id = data.level_id or None
        correction.cert_number = (data.cert_number or "").strip()
        correction.issuer = (data.issuer or "").strip()
        correction.issue_date = data.issue_date
        correction.valid_until = data.valid_until
        correction.occupation_name = (data.occupation_name or "").strip()
        # The same one-row rules as the certificate it would become (level fits the type, dates).
        Certificate(
            person=person,
            cert_type_id=correction.cert_type_id,
            level_id=correction.level_id,
            number=correction.cert_number,
            issuer=correction.issuer,
            issue_date=correction.issue_date,
            valid_until=correction.valid_until,
            occupation_name=correction.occupation_name,
        ).full_clean(exclude=["person"])
        if not list(files):
            raise ValidationError({"files": "补录证书请上传证书照片或扫描件"})
    else:
        correction.field = data.field
        correction.current_value = _current_value(person, certificate, data.field)[:200]
        correction.proposed_value = _check_value(data.field, data.proposed_value)
        if correction.proposed_value == correction.current_value:
            raise ValidationError({"proposed_value": "应更正为的内容与现有内容相同"})
    correction.full_clean(exclude=["person", "submitted_by", "certificate", "cert_type", "level"])
    workflow_start(
        workflow=CORRECTION_WORKFLOW,
        obj=correction,
        actor=actor,
        state=CorrectionStatus.SUBMITTED,
        label="提交更正申请",
        note=correction.explanation,
        effect=Effect(changes={"kind": correction.kind, "field": correction.field}),
        files=files,
    )
    ensure_in_scope(correction, actor, "add")
    return correction


def _apply_correction(actor: User, correction: Correction) -> Effect:
    """Make the change a correction asks for, through the talents services (audited there as
    made on this request)."""
    ref = "correction:%d" % correction.pk
    person = correction.person
    if correction.kind == CorrectionKind.MISSING:
        certificate = certificate_create(
            actor=actor,
            person=person,
            cert_type_id=correction.cert_type_id,
            level_id=correction.level_id,
            number=correction.cert_number,
            issuer=correction.issuer,
            issue_date=correction.issue_date,
            valid_until=correction.valid_until,
            occupation_name=correction.occupation_name,
            on_request=ref,
        )
        return Effect(changes={"certificate": certificate.pk}, note="已补录证书 %s" % certificate.number)
    value = correction.proposed_value
    if correction.field in DATE_FIELDS:
        value = datetime.date.fromisoformat(value) if value else None
    if correction.kind == CorrectionKind.CERTIFICATE:
        certificate_correct(
            actor=actor,
            certificate=correction.certificate,
            field=correction.field,
            value=value,
            on_request=ref,
        )
    else:
        data = PersonData(
            name=person.name,
            region_id=person.region_id,
            employer_id=person.employer_id,
            occupation_id=person.occupation_id,
            domain_id=person.domain_id,
            introduced_on=person.introduced_on,
        )
        setattr(data, correction.field, value)
        person_update(actor=actor, person=person, data=data, on_request=ref)
    return Effect(
        changes={correction.field: [correction.current_value, correction.proposed_value]},
        note="已将%s更正为 %s" % (correction.get_field_display(), correction.proposed_value or "（空）"),
    )


def correction_take(
    *, actor: User, correction: Correction, action: str, note: str = "", files=(), proposed_value: str = ""
) -> Correction:
    """Take a step of a correction: accept (the change is applied), return for 补正, reject, or
    resubmit after 补正 (optionally with a new value)."""

    def apply(locked: Correction) -> Effect | None:
        if action == "accept":
            effect = _apply_correction(actor, locked)
            note_kept = (note or "").strip()[:300]
            locked.decision_note = note_kept
            if note_kept:
                effect.note = "%s；%s" % (effect.note, note_kept)
            return effect
        if action == "resubmit" and proposed_value and locked.kind != CorrectionKind.MISSING:
            locked.proposed_value = _check_value(locked.field, proposed_value)
            return Effect(changes={"proposed_value": locked.proposed_value})
        return None

    return transition_take(
        workflow=CORRECTION_WORKFLOW,
        obj=correction,
        action=action,
        actor=actor,
        reason=note,
        files=files,
        apply=apply,
        lock=Correction.objects.select_related("person", "certificate"),
    )


# --- talent accounts (self-registration) -------------------------------------------------------

REGISTER_REFUSAL = "信息核对未通过：请检查姓名、身份证号和证书编号是否与证书上的一致"
REGISTER_FAILURES = 5  # per ID number per window, then that ID is locked for the rest of the window


def rate_limit_count(*, bucket: str, client: str, window: datetime.timedelta = datetime.timedelta(hours=1)):
    """(attempts so far in the current window, when it closes) without counting a new one."""
    key = get_provider().mac(("%s|%s" % (bucket, client)).encode(), purpose=RATE_PURPOSE)
    seconds = int(window.total_seconds())
    start = datetime.datetime.fromtimestamp(
        int(timezone.now().timestamp()) // seconds * seconds, tz=datetime.UTC
    )
    count = (
        RateWindow.objects.filter(key=key, window_start=start).values_list("count", flat=True).first() or 0
    )
    return count, start + window


def talent_register(
    *, name: str, id_number: str, certificate_number: str, username: str, password: str
) -> User:
    """A skilled worker opens their own account by proving what only the holder knows together:
    their name, full ID number and the number of one of their (not revoked) certificates. Rate-
    limited per address; five wrong answers for one ID lock that ID for the rest of the hour; the
    refusal never says which part was wrong. One account per person. Audited either way."""
    from django.conf import settings
    from django.contrib.auth.password_validation import validate_password

    from gongjiang.core.validators import normalise_resident_id
    from gongjiang.talents.services import resident_id_digest

    from .selectors import normalise_number

    decision = rate_limit_take(bucket="register", limit=settings.GONGJIANG_REGISTER_LIMIT_PER_HOUR)
    if not decision.allowed:
        audit_record(
            actor=None, action="talent.register_refused", changes={"why": "rate_limited"}, result="denied"
        )
        raise RateLimited(decision.retry_at)
    number = normalise_resident_id(id_number).number  # a malformed ID is a plain field error
    key = resident_id_digest(number)
    failures, locked_until = rate_limit_count(bucket="register-fail", client=key)
    if failures >= REGISTER_FAILURES:
        audit_record(actor=None, action="talent.register_refused", changes={"why": "locked"}, result="denied")
        raise RateLimited(locked_until)
    person = (
        Person.objects.filter(id_digest=key, name=(name or "").strip())
        .filter(certificates__number=normalise_number(certificate_number))
        .exclude(certificates__status="revoked")
        .distinct()
        .first()
    )
    if person is None:
        rate_limit_take(bucket="register-fail", client=key, limit=REGISTER_FAILURES)
        audit_record(
            actor=None, action="talent.register_refused", changes={"why": "mismatch"}, result="denied"
        )
        raise ValidationError(REGISTER_REFUSAL)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id is not None:
            raise ValidationError(
                "您已开通个人账号，请直接登录；忘记用户名或密码请到工作所在县区人社部门办理"
            )
        username = (username or "").strip()
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": "该用户名已被使用，请换一个"})
        user = User(username=username, role=Role.TALENT, first_name=person.name)
        user.full_clean(exclude=["password"])
        user.set_password(password)
        user.save()
        person.user = user
        person.save(update_fields=["user"])
        try:
            validate_password(password, user)  # includes "no ID or phone inside", now the person is bound
        except ValidationError as exc:
            raise ValidationError({"password1": exc.messages}) from None
        audit_record(actor=user, action="talent.register", obj=user, changes={"person": person.pk})
    return user


# --- skills passport share links ---------------------------------------------------------------

SHARE_PURPOSE = "passport-share-link"
SHARE_MAX_DAYS = 30


def share_token_digest(token: str) -> str:
    return get_provider().mac((token or "").encode(), purpose=SHARE_PURPOSE)


@transaction.atomic
def share_link_create(*, actor: User, days: int) -> tuple[ShareLink, str]:
    """A link to the talent's own passport that works without login for ``days`` (1–30). The
    token is returned once; only its keyed digest is kept."""
    import secrets

    if not 1 <= int(days) <= SHARE_MAX_DAYS:
        raise ValidationError({"days": "有效期为 1 至 %d 天" % SHARE_MAX_DAYS})
    person = Person.objects.for_user(actor, "view").filter(user=actor).first()
    if person is None or not actor.has_perm("portal.add_sharelink"):
        raise OutOfScope("只有已关联技能档案的个人可以分享技能护照")
    token = secrets.token_urlsafe(24)
    link = ShareLink.objects.create(
        person=person,
        token_digest=share_token_digest(token),
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=int(days)),
    )
    audit_record(actor=actor, action="share_link.create", obj=link, changes={"days": int(days)})
    return link, token


@transaction.atomic
def share_link_revoke(*, actor: User, link: ShareLink) -> ShareLink:
    """End a share link now (the caller fetched it within the actor's scope)."""
    link = ShareLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="share_link.revoke", obj=link)
    return link


# --- accounts opened by operators --------------------------------------------------------------

BULK_ACCOUNTS_MAX = 2000


@transaction.atomic
def talent_accounts_create(*, actor: User, persons) -> list[tuple[Person, str, str]]:
    """Open a personal account for each of ``persons`` (already narrowed to the actor's scope for
    "change") who has none: username T + the record number, a one-time random password that must
    be changed at the first login. Returns (person, username, password) once; only the password's
    hash is kept. Audited as one batch."""
    import secrets
    import string

    from gongjiang.accounts.scope import scope

    persons = scope(persons, actor, "change").filter(user__isnull=True).order_by("pk")
    chosen = list(persons[: BULK_ACCOUNTS_MAX + 1])
    if len(chosen) > BULK_ACCOUNTS_MAX:
        raise ValidationError("一次最多为 %d 人开通账号，请缩小筛选范围" % BULK_ACCOUNTS_MAX)
    alphabet = string.ascii_letters + string.digits
    made = []
    for person in chosen:
        username = "T%08d" % person.pk
        if User.objects.filter(username__iexact=username).exists():
            continue
        password = "Gj-" + "".join(secrets.choice(alphabet) for _ in range(12)) + "!"
        user = User(username=username, role=Role.TALENT, first_name=person.name, must_change_password=True)
        user.set_password(password)
        user.save()
        Person.objects.filter(pk=person.pk, user__isnull=True).update(user=user)
        made.append((person, username, password))
    audit_record(
        actor=actor,
        action="talent.accounts_create",
        object_type="accounts.user",
        changes={"accounts": len(made), "persons": [p.pk for p, _u, _pw in made][:200]},
    )
    return made


FILE_ERRORS_SHOWN = 20


def talent_accounts_persons_from_file(*, actor: User, path, filename: str):
    """The persons an uploaded list names, to open accounts for: any xlsx/xls/ods/csv whose header
    row has 姓名 and 身份证号 (a roster file works as it is). Every row must name, by full ID and
    the same name, a person the actor may change; otherwise the whole file is refused with each
    row's number, column, value and reason (the first 20), and nothing is opened."""
    from gongjiang.common.excel import UnusableFile, open_rows
    from gongjiang.core.validators import normalise_resident_id
    from gongjiang.jobs.pipeline import find_header
    from gongjiang.jobs.registry import ImportKind, get_kind
    from gongjiang.talents.services import resident_id_digest

    roster = get_kind("roster")
    wanted = {c.key: c for c in roster.columns if c.key in ("name", "id_number")}

    class _AccountList(ImportKind):  # the roster's names and aliases of these two columns
        columns = tuple(wanted.values())

    try:
        opened = open_rows(path, filename=filename)
        header = find_header(opened.rows, _AccountList())
    except UnusableFile as exc:
        raise ValidationError("文件“%s”无法读取：%s" % (filename, exc.message)) from None
    index = {key: i for i, key in header.positions.items()}
    rows: list[tuple[int, str, str]] = []  # (row number, name, digest)
    errors: list[str] = []
    for number, cells in opened.rows:
        if len(rows) > BULK_ACCOUNTS_MAX:
            raise ValidationError("文件“%s”超过 %d 人，请拆分后再上传" % (filename, BULK_ACCOUNTS_MAX))
        name = str(cells[index["name"]] or "").strip() if index["name"] < len(cells) else ""
        raw = cells[index["id_number"]] if index["id_number"] < len(cells) else None
        if not name and raw in (None, ""):
            continue
        try:
            rid = normalise_resident_id(raw)
        except ValidationError as exc:
            errors.append("第%d行“身份证号”列“%s”：%s" % (number, _masked(raw), "；".join(exc.messages)))
            continue
        rows.append((number, name, resident_id_digest(rid.number)))
    if not rows and not errors:
        raise ValidationError("文件“%s”只有表头，没有数据行" % filename)
    found = {
        p.id_digest: p
        for p in Person.objects.filter(id_digest__in={d for _n, _name, d in rows}).only(
            "pk", "name", "id_digest", "user_id"
        )
    }
    allowed = set(_changeable(actor, [p.pk for p in found.values()]))
    chosen = []
    for number, name, key in rows:
        person = found.get(key)
        if person is None or person.pk not in allowed:
            errors.append("第%d行：人才库中（您的数据范围内）没有该身份证号的人员" % number)
        elif person.name != name:
            errors.append("第%d行“姓名”列“%s”：与人才库中该身份证号的姓名不一致" % (number, name))
        elif person.user_id is None:
            chosen.append(person.pk)
    if errors:
        shown = errors[:FILE_ERRORS_SHOWN]
        more = "；另有 %d 处错误" % (len(errors) - len(shown)) if len(errors) > len(shown) else ""
        raise ValidationError(
            "文件“%s”有 %d 处错误，未开通任何账号：%s%s" % (filename, len(errors), "；".join(shown), more)
        )
    return Person.objects.filter(pk__in=chosen)


def _masked(raw) -> str:
    text = str(raw or "")
    return text if len(text) < 8 else text[:3] + "*" * (len(text) - 7) + text[-4:]


def _changeable(actor: User, ids: list[int]) -> list[int]:
    """Of ``ids``, the persons ``actor`` may change (the one scope rule)."""
    from gongjiang.accounts.scope import scope

    return list(scope(Person.objects.filter(pk__in=ids), actor, "change").values_list("pk", flat=True))
