"""The counting rule (DESIGN.md): who is skilled and who is high-skilled on a date. One SQL
fragment and one ORM condition, used by every indicator, list, drill-down and eligibility check.

On a date D a certificate counts when
- it is not revoked (a revocation voids it from the start, on every date),
- it has a level (a 专项职业能力证书 has none and never counts),
- it was issued on or before D,
- D is not after its valid-until (an expired certificate counted until it expired; one marked
  已失效 without a valid-until date is not known to have counted on any date).
A person is skilled on D when one of their certificates counts, high-skilled when one at 高级工
or above counts; a person is counted once however many certificates they hold.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q

from .choices import CertificateStatus


def counts_on_sql(alias: str = "c") -> str:
    """The SQL condition on certificate ``alias`` for "counts on the date"; it takes the date as
    two parameters, in this order: (D, D)."""
    a = alias
    return (
        f"{a}.status <> '{CertificateStatus.REVOKED.value}' AND {a}.level_id IS NOT NULL"
        f" AND {a}.issue_date <= %s AND ({a}.valid_until IS NULL OR {a}.valid_until >= %s)"
        f" AND NOT ({a}.status = '{CertificateStatus.EXPIRED.value}' AND {a}.valid_until IS NULL)"
    )


def counts_on_params(on: datetime.date) -> list[datetime.date]:
    return [on, on]


def counts_on_q(on: datetime.date, prefix: str = "") -> Q:
    """The same condition for the ORM, on certificates (``prefix`` reaches them from another model,
    e.g. ``"certificates__"``)."""
    p = prefix
    return (
        ~Q(**{f"{p}status": CertificateStatus.REVOKED})
        & Q(**{f"{p}level__isnull": False, f"{p}issue_date__lte": on})
        & (Q(**{f"{p}valid_until__isnull": True}) | Q(**{f"{p}valid_until__gte": on}))
        & ~Q(**{f"{p}status": CertificateStatus.EXPIRED, f"{p}valid_until__isnull": True})
    )


def counts_on(certificate, on: datetime.date) -> bool:
    """The same condition on a certificate already in memory (e.g. a profile's prefetched rows)."""
    if certificate.status == CertificateStatus.REVOKED or certificate.level_id is None:
        return False
    if certificate.issue_date > on:
        return False
    if certificate.valid_until is None:
        return certificate.status != CertificateStatus.EXPIRED
    return certificate.valid_until >= on


def high_skilled_exists(on: datetime.date | None = None, *, person_ref: str = "person") -> Exists:
    """Whether the person (``OuterRef(person_ref)``) holds, on ``on`` (default today), a certificate
    at 高级工 or above that counts."""
    from .models import Certificate

    on = on or datetime.date.today()
    return Exists(
        Certificate.objects.filter(counts_on_q(on), person=OuterRef(person_ref), level__is_high_skilled=True)
    )


def persons_high_skilled_on(on: datetime.date):
    """The persons high-skilled on ``on`` (an introduced talent from their introduction date): the
    plain reading of the rule, for checks and drill-downs."""
    from .models import Person

    return Person.objects.filter(high_skilled_exists(on, person_ref="pk")).filter(
        Q(introduced_on__isnull=True) | Q(introduced_on__lte=on)
    )
