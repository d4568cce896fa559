"""Writes to the talent database: persons, certificates and the fields derived from them.

Every write validates, saves, refreshes the derived fields of the persons it touched, audits, and
checks that the result is still inside the actor's scope, all in one transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import ensure_in_scope
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


@transaction.atomic
def person_create(*, actor: User, data: PersonData) -> Person:
    """Register a person. The ID must be valid and not yet registered; it is stored encrypted."""
    rid = normalise_resident_id(data.id_number)
    key = resident_id_digest(rid.number)
    if Person.objects.filter(id_digest=key).exists():
        raise ValidationError({"id_number": "该身份证号已在人才库中登记"})
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
def person_update(*, actor: User, person: Person, data: PersonData) -> Person:
    """Change a person's details. The ID number is not changed here; a blank phone keeps the old one."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _person_snapshot(person)
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
) -> Certificate:
    """Add a certificate to a person and refresh what it derives (highest level, high-skilled)."""
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
            # The certificates are filtered by person id directly, so the plan does not depend on
            # fresh statistics of talents_person (right after a bulk load they are stale).
            _refresh_where(f"talents_person.id IN ({marks})", chunk, f"c.person_id IN ({marks})", chunk)
    else:
        _refresh_where(where_sql, list(params))
    persons_changed.send(sender=Person)


def _refresh_where(
    condition: str, params: list, cert_condition: str = "", cert_params: Sequence = ()
) -> None:
    # One UPDATE that touches only the rows whose derived values change: a re-import of unchanged
    # data writes nothing, and a large import rewrites each person once.
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    if not cert_condition:
        cert_condition = f"c.person_id IN (SELECT talents_person.id FROM talents_person WHERE {condition})"
        cert_params = params
    certificates = cert_condition
    counts = counts_on_sql("c")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE talents_person SET
                highest_level_id = d.top_level,
                high_skilled_since = d.since,
                is_high_skilled = (d.since IS NOT NULL)
            FROM (
                SELECT talents_person.id AS person_id,
                       (SELECT l.code FROM core_skilllevel l WHERE l.rank = agg.top_rank) AS top_level,
                       CASE WHEN agg.first_high IS NULL THEN NULL
                            WHEN talents_person.introduced_on > agg.first_high THEN talents_person.introduced_on
                            ELSE agg.first_high END AS since
                FROM talents_person
                LEFT JOIN (
                    SELECT c.person_id,
                           MAX(l.rank) AS top_rank,
                           MIN(CASE WHEN l.is_high_skilled THEN c.issue_date END) AS first_high
                    FROM talents_certificate c
                    JOIN core_skilllevel l ON l.code = c.level_id
                    WHERE {counts} AND {certificates}
                    GROUP BY c.person_id
                ) agg ON agg.person_id = talents_person.id
                WHERE {condition}
            ) d
            WHERE talents_person.id = d.person_id AND (
                talents_person.highest_level_id {distinct} d.top_level
                OR talents_person.high_skilled_since {distinct} d.since
                OR talents_person.is_high_skilled <> (d.since IS NOT NULL))
            """,
            [*counts_on_params(datetime.date.today()), *cert_params, *params],
        )
