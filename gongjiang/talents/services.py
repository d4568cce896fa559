"""Writes to the talent database: persons, certificates and the fields derived from them.

Every write validates, saves, refreshes the derived fields of the persons it touched, audits, and
checks that the result is still inside the actor's scope, all in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from gongjiang.accounts.models import AuditEntry, User
from gongjiang.accounts.scope import ensure_in_scope, scope
from gongjiang.accounts.services import audit_record, model_changes
from gongjiang.core.crypto import digest, encrypt
from gongjiang.core.validators import (
    mask_phone,
    mask_resident_id,
    normalise_phone,
    normalise_resident_id,
    reason_clean,
)

from .choices import CertificateSource, CertificateStatus
from .counting import counts_on_params, counts_on_sql
from .models import Certificate, Person
from .signals import persons_changed

PERSON_FIELDS = ("name", "region", "employer", "occupation", "domain", "introduced_on")


def resident_id_digest(number: str) -> str:
    """The lookup digest of a normalised ID number (what ``Person.id_digest`` holds)."""
    return digest(number)


def _person_snapshot(person: Person) -> dict:
    return {
        "name": person.name,
        "region": person.region_id,
        "employer": person.employer_id,
        "occupation": person.occupation_id,
        "domain": person.domain_id,
        "introduced_on": person.introduced_on,
    }


@dataclass
class PersonData:
    """What a form or an import row supplies for a person (raw ID and phone, not yet checked)."""

    name: str
    region_id: str
    id_number: str = ""
    phone: str = ""
    employer_id: int | None = None
    occupation_id: str | None = None
    domain_id: str | None = None
    introduced_on: datetime.date | None = None


def _check_employer_visible(actor: User, employer_id: int | None) -> None:
    """The employer must be an organisation the actor may see: the person form offers only those
    (restrict_form_fields) and the roster import refuses the others, so no path bypasses it."""
    from gongjiang.orgs.models import Organisation

    if employer_id is not None and not scope(Organisation.objects.filter(pk=employer_id), actor).exists():
        raise ValidationError({"employer": "该工作单位不在您的数据范围内，不能登记为本人员的工作单位"})


DUPLICATE_ID_MESSAGE = "该身份证号不能登记：该人员已有档案。如确属您负责的人员，请联系市级管理员核实"
DUPLICATE_ID_LIMITED = "您近一小时内登记已有档案的身份证号次数过多，请稍后再试"


def _refuse_registered_id(*, actor: User, rid_number: str, key: str) -> None:
    """Refuse a person already on file without saying where (its county, its employer) unless the
    actor may see them anyway. Each refusal is audited, and after a few in an hour the actor is
    refused before any lookup, so registering cannot be used to probe the city's register."""
    limit = settings.GONGJIANG_DUPLICATE_ID_LIMIT_PER_HOUR
    since = timezone.now() - datetime.timedelta(hours=1)
    refused = AuditEntry.objects.filter(action="person.duplicate_refused", user=actor, at__gte=since)
    if refused.count() >= limit:
        raise ValidationError({"id_number": DUPLICATE_ID_LIMITED})
    existing = Person.objects.filter(id_digest=key).first()
    if existing is None:
        return
    visible = Person.objects.filter(pk=existing.pk).for_user(actor).exists()
    # Its own transaction, before the refusal is raised: the audit row stays though the action fails.
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="person.duplicate_refused",
            object_type="talents.person",
            object_id=str(existing.pk) if visible else "",
            changes={"id_number": mask_resident_id(rid_number), "in_scope": visible},
            result="denied",
        )
    if visible:
        raise ValidationError({"id_number": "该人员已在您的数据范围内登记，请在人才库中查找后修改"})
    raise ValidationError({"id_number": DUPLICATE_ID_MESSAGE})


def person_create(*, actor: User, data: PersonData) -> Person:
    """Register a person. The ID must be valid and not yet registered; it is stored encrypted.
    A registered ID is refused (and audited, and rate-limited per user) before the write."""
    rid = normalise_resident_id(data.id_number)
    key = resident_id_digest(rid.number)
    _refuse_registered_id(actor=actor, rid_number=rid.number, key=key)
    return _person_create(actor=actor, data=data, rid=rid, key=key)


@transaction.atomic
def _person_create(*, actor: User, data: PersonData, rid, key: str) -> Person:
    if Person.objects.filter(id_digest=key).exists():  # registered meanwhile (the check above is unlocked)
        raise ValidationError({"id_number": DUPLICATE_ID_MESSAGE})
    _check_employer_visible(actor, data.employer_id)
    phone = normalise_phone(data.phone) if data.phone else ""
    person = Person(
        name=data.name.strip(),
        id_cipher=encrypt(rid.number),
        id_digest=key,
        phone_cipher=encrypt(phone) if phone else "",
        phone_digest=digest(phone) if phone else "",
        birth_date=rid.birth_date,
        gender=rid.gender,
        region_id=data.region_id,
        employer_id=data.employer_id,
        occupation_id=data.occupation_id,
        domain_id=data.domain_id,
        introduced_on=data.introduced_on,
    )
    person.full_clean(exclude=["id_cipher", "phone_cipher"])
    person.save()
    persons_refresh_derived(person_ids=[person.pk])
    ensure_in_scope(person, actor, "add")
    audit_record(
        actor=actor,
        action="person.create",
        obj=person,
        changes={**_person_snapshot(person), "id_number": mask_resident_id(rid.number)},
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, data: PersonData, on_request: str = "") -> Person:
    """Change a person's details. The ID number is not changed here; a blank phone keeps the old one.
    ``on_request`` names the request the change was made on (e.g. ``correction:12``) in the audit."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _person_snapshot(person)
    if data.employer_id != person.employer_id:
        _check_employer_visible(actor, data.employer_id)
    person.name = data.name.strip()
    person.region_id = data.region_id
    person.employer_id = data.employer_id
    person.occupation_id = data.occupation_id
    person.domain_id = data.domain_id
    person.introduced_on = data.introduced_on
    changes = model_changes(before, _person_snapshot(person))
    if data.phone:
        phone = normalise_phone(data.phone)
        if phone != person.phone:
            person.phone_cipher = encrypt(phone)
            person.phone_digest = digest(phone)
            changes["phone"] = ["***", mask_phone(phone)]
    person.full_clean(exclude=["id_cipher", "phone_cipher"])
    person.save()
    if "introduced_on" in changes:
        persons_refresh_derived(person_ids=[person.pk])
    else:
        persons_changed.send(sender=Person)  # region, employer, domain or occupation may have moved
    ensure_in_scope(person, actor, "change")
    if on_request:
        changes["request"] = on_request
    audit_record(actor=actor, action="person.update", obj=person, changes=changes)
    return person


def person_reveal(*, actor: User, person: Person, reason: str) -> dict[str, str]:
    """The full ID and phone of a person, for a user allowed to see them; the reveal is audited
    with its reason. ``person`` must already come from ``for_user(actor, "reveal")``."""
    reason = reason_clean(reason, what="查看完整信息的事由", message="请填写查看完整信息的事由", keep=200)
    audit_record(actor=actor, action="person.reveal", obj=person, changes={"reason": reason})
    return {"id_number": person.id_number, "phone": person.phone}


def person_search_record(*, actor: User, name: str, found: int) -> None:
    """Audit a search by name and the ID's last four: unlike a name prefix it narrows by the
    decrypted ID, so who looked for whom is kept (the digits themselves are not written)."""
    audit_record(
        actor=actor,
        action="person.search",
        object_type="talents.person",
        changes={"by": "name_tail", "name": name, "found": found},
    )


@transaction.atomic
def certificate_create(
    *,
    actor: User,
    person: Person,
    cert_type_id: str,
    number: str,
    issuer: str,
    issue_date: datetime.date,
    level_id: str | None = None,
    occupation_id: str | None = None,
    occupation_name: str = "",
    valid_until: datetime.date | None = None,
    source: str = CertificateSource.MANUAL,
    on_request: str = "",
) -> Certificate:
    """Add a certificate to a person and refresh what it derives (highest level, high-skilled).
    ``on_request`` names the request it was added on (e.g. ``correction:12``) in the audit."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    certificate = Certificate(
        person=person,
        cert_type_id=cert_type_id,
        level_id=level_id or None,
        occupation_id=occupation_id or None,
        occupation_name=occupation_name.strip(),
        number=number.strip(),
        issuer=issuer.strip(),
        issue_date=issue_date,
        valid_until=valid_until,
        source=source,
    )
    certificate.full_clean()
    certificate.save()
    persons_refresh_derived(person_ids=[person.pk])
    ensure_in_scope(certificate, actor, "add")
    audit_record(
        actor=actor,
        action="certificate.create",
        obj=certificate,
        changes={
            "person": person.pk,
            "cert_type": cert_type_id,
            "level": level_id,
            "number": certificate.number,
            "issuer": certificate.issuer,
            "issue_date": issue_date,
            **({"request": on_request} if on_request else {}),
        },
    )
    return certificate


CORRECTABLE_CERTIFICATE_FIELDS = ("number", "issuer", "issue_date", "occupation_name", "valid_until")


@transaction.atomic
def certificate_correct(
    *, actor: User, certificate: Certificate, field: str, value, on_request: str = ""
) -> Certificate:
    """Correct one recorded field of a certificate (a typo in its number, issuer, dates or
    occupation), checked as a new certificate would be, and refresh what it derives."""
    if field not in CORRECTABLE_CERTIFICATE_FIELDS:
        raise ValidationError("证书的“%(field)s”不能这样更正" % {"field": field})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    before = getattr(certificate, field)
    setattr(certificate, field, value.strip() if isinstance(value, str) else value)
    certificate.full_clean()
    certificate.save(update_fields=[field])
    persons_refresh_derived(person_ids=[certificate.person_id])
    ensure_in_scope(certificate, actor, "change")
    audit_record(
        actor=actor,
        action="certificate.correct",
        obj=certificate,
        changes={
            field: [before, getattr(certificate, field)],
            **({"request": on_request} if on_request else {}),
        },
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a valid certificate; it then counts for nothing, and the holder's derived fields follow.
    The row is locked so two officers cannot both act on it."""
    reason = reason_clean(reason, what="撤销原因", message="请填写撤销原因", keep=200)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != CertificateStatus.VALID:
        raise ValidationError("只有有效状态的证书可以撤销")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_reason = reason[:200]
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["status", "revoked_reason", "revoked_at"])
    persons_refresh_derived(person_ids=[certificate.person_id])
    audit_record(
        actor=actor,
        action="certificate.revoke",
        obj=certificate,
        changes={"status": [CertificateStatus.VALID, CertificateStatus.REVOKED], "reason": reason[:200]},
    )
    return certificate


def persons_refresh_derived(
    *, person_ids: Iterable[int] | None = None, where_sql: str = "", params: Sequence = ()
) -> None:
    """Recompute highest valid level, high-skilled and the date of first high-skilled attainment,
    set-based, for the given persons (ids, or an SQL condition on ``talents_person``). One rule for
    a single edit and for an import of a million rows.

    The date (DESIGN.md): the issue date of the first valid certificate at 高级工 or above; for an
    introduced talent, the later of that and the introduction date. Certificates without a level
    (专项职业能力) never count; revoked and expired ones (by status or past ``valid_until``) count
    for nothing. Sends ``signals.persons_changed`` (the dashboard's aggregates follow on commit)."""
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            _refresh_where(f"talents_person.id IN ({marks})", chunk)
    else:
        _refresh_where(where_sql, list(params))
    persons_changed.send(sender=Person)


@dataclass(frozen=True)
class DerivedFieldsSQL:
    """The derived fields of a row of ``talents_person`` as SQL: ``top`` (the highest valid
    level's code) and ``since`` (the high-skilled date), each taking ``params``; ``assignments``
    for an UPDATE's SET and ``changed``, true when a stored value differs, each taking ``params``
    three times.

    Each value comes from a subquery on the person's own certificates (an index lookup on person
    and status), not from a join with an aggregate over the certificates: a join's cost depends on
    the planner's estimates, and believing the aggregate held one row, PostgreSQL rescanned it for
    every person, quadratic in the persons refreshed (issue 19, docs/decisions/018). A subquery
    per person costs a lookup whatever the estimates, on both databases."""

    top: str
    since: str
    params: list

    @property
    def assignments(self) -> str:
        return (
            f"highest_level_id = {self.top}, high_skilled_since = {self.since},"
            f" is_high_skilled = ({self.since} IS NOT NULL)"
        )

    @property
    def changed(self) -> str:
        distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        return f"""talents_person.highest_level_id {distinct} {self.top}
                OR talents_person.high_skilled_since {distinct} {self.since}
                OR talents_person.is_high_skilled <> ({self.since} IS NOT NULL)"""


def derived_fields_sql(introduced_on: str = "talents_person.introduced_on") -> DerivedFieldsSQL:
    """The rule of ``persons_refresh_derived`` for a row of ``talents_person`` (referred to by that
    name); ``introduced_on`` is the introduction date it is to have (the import may be setting it)."""
    # The one counting rule (talents.counting), read today.
    valid = (
        "FROM talents_certificate c JOIN core_skilllevel l ON l.code = c.level_id"
        f" WHERE c.person_id = talents_person.id AND {counts_on_sql('c')}"
    )
    return DerivedFieldsSQL(
        top=f"(SELECT l.code {valid} ORDER BY l.rank DESC LIMIT 1)",
        since=f"""(SELECT CASE WHEN MIN(c.issue_date) IS NULL THEN NULL
                         WHEN {introduced_on} > MIN(c.issue_date) THEN {introduced_on}
                         ELSE MIN(c.issue_date) END
                   {valid} AND l.is_high_skilled)""",
        params=counts_on_params(datetime.date.today()),
    )


def _refresh_where(condition: str, params: list) -> None:
    """One UPDATE of the persons matching ``condition`` that touches only the rows whose derived
    values change: a re-import of unchanged data writes nothing. The condition must select persons
    by their own columns (an id list, a range): with a join or ``IN (SELECT …)`` PostgreSQL may
    test the changed values of every person before the join narrows them."""
    derived = derived_fields_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE talents_person SET {derived.assignments} WHERE {condition} AND ({derived.changed})",
            [*derived.params * 3, *params, *derived.params * 3],
        )


def certificates_expire(*, on: datetime.date | None = None) -> dict[str, int]:
    """The nightly step of the talent database: certificates past their valid-until on ``on``
    (default today, Beijing) are marked 已失效 — the status follows the date, as the counting rule
    (``talents.counting``) already reads it — and every person's derived fields are refreshed for
    the new day (a certificate that lapsed overnight changes its holder's level)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        lapsed = Certificate.objects.filter(status=CertificateStatus.VALID, valid_until__lt=on)
        person_ids = set(lapsed.values_list("person_id", flat=True))
        expired = lapsed.update(status=CertificateStatus.EXPIRED)
        before = Person.objects.filter(is_high_skilled=True).count()
        persons_refresh_derived(where_sql="1 = 1")
        after = Person.objects.filter(is_high_skilled=True).count()
        audit_record(
            actor=None,
            username="system",
            action="certificate.expire",
            object_type="talents.certificate",
            changes={"on": on.isoformat(), "expired": expired, "persons": len(person_ids)},
        )
    return {
        "expired": expired,
        "persons": len(person_ids),
        "high_skilled_before": before,
        "high_skilled_after": after,
    }
