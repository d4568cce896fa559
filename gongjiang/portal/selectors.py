"""Reads of the portal: public certificate verification, the talent's own record, corrections and
share links (the latter through the one scope rule).

Public verification is the one read of certificates that is not narrowed by a user's scope: its
scope is "the holder's name and the certificate number together" (or a signed link), and what it
returns is limited to what a verifier needs, with the holder's name and ID masked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.core.validators import clean_text, compact, mask_resident_id
from gongjiang.talents.choices import CertificateStatus
from gongjiang.talents.models import Certificate, Person

from .choices import VerifyStatus
from .models import Correction, ShareLink
from .tokens import certificate_id_from_token, certificate_token


def mask_name(name: str) -> str:
    """王*, 王*明, 欧阳**: the first character stays (the last too for three or more), the rest hidden."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    if len(name) == 3:
        return name[0] + "*" + name[-1]
    return name[:2] + "*" * (len(name) - 2)


def certificate_verify_status(certificate: Certificate, today: datetime.date | None = None) -> str:
    """已撤销 when revoked; 已过期 when expired by status or past its valid-until; else 有效."""
    today = today or timezone.localdate()
    if certificate.status == CertificateStatus.REVOKED:
        return VerifyStatus.REVOKED
    if certificate.status == CertificateStatus.EXPIRED or (
        certificate.valid_until is not None and certificate.valid_until < today
    ):
        return VerifyStatus.EXPIRED
    return VerifyStatus.VALID


@dataclass(frozen=True)
class Verification:
    """What public verification shows of one certificate."""

    certificate_id: int
    status: str
    number: str
    cert_type: str
    level: str
    occupation: str
    issuer: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    holder: str  # masked
    holder_id: str  # masked

    @property
    def status_label(self) -> str:
        return str(VerifyStatus(self.status).label)

    @property
    def token(self) -> str:
        return certificate_token(self.certificate_id)


def _verification(certificate: Certificate) -> Verification:
    return Verification(
        certificate_id=certificate.pk,
        status=certificate_verify_status(certificate),
        number=certificate.number,
        cert_type=certificate.cert_type.name,
        level=certificate.level.name if certificate.level_id else "无等级",
        occupation=certificate.occupation_name
        or (certificate.occupation.name if certificate.occupation_id else ""),
        issuer=certificate.issuer,
        issued_on=certificate.issue_date,
        valid_until=certificate.valid_until,
        holder=mask_name(certificate.person.name),
        holder_id=mask_resident_id(certificate.person.id_number),
    )


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("person", "cert_type", "level", "occupation")


def normalise_number(number: str) -> str:
    return compact(number)


def certificate_verify(*, number: str, name: str) -> Verification | None:
    """The certificate with this number whose holder has exactly this name; None otherwise (a
    wrong number and a wrong name are not told apart). Numbers are unique per issuer only: when
    two issuers used the same number for people of the same name, the latest issued is shown."""
    number, name = normalise_number(number), clean_text(name)
    if not number or not name:
        return None
    certificate = (
        _certificates().filter(number=number, person__name=name).order_by("-issue_date", "-id").first()
    )
    return _verification(certificate) if certificate else None


def certificate_verify_token(*, token: str) -> Verification | None:
    """The certificate a signed link names; None when the link is not one we signed."""
    certificate_id = certificate_id_from_token(token)
    if certificate_id is None:
        return None
    certificate = _certificates().filter(pk=certificate_id).first()
    return _verification(certificate) if certificate else None


# --- the talent's own space ---------------------------------------------------------------------


def _profile(queryset: QuerySet[Person]) -> QuerySet[Person]:
    certificates = Certificate.objects.select_related("cert_type", "level", "occupation").order_by(
        "-issue_date", "-id"
    )
    return queryset.select_related(
        "region", "employer", "occupation", "domain", "highest_level"
    ).prefetch_related(Prefetch("certificates", queryset=certificates))


def talent_person(*, user: User) -> Person | None:
    """The person record bound to a talent account, with what the home page shows, or None."""
    return _profile(Person.objects.for_user(user, "view").filter(user=user)).first()


def talent_person_by_pk(*, pk: int) -> Person:
    """A person for a public passport page; the caller has checked the share link first."""
    return _profile(Person.objects.filter(pk=pk)).get()


def talent_carriers(*, person: Person) -> list:
    """The recognised training carriers the person leads: the public catalogue's rows (what the
    public may see of any carrier), narrowed to this leader."""
    from gongjiang.carriers.selectors import carrier_catalogue

    return list(carrier_catalogue().filter(leader=person))


def correction_list(*, user: User, action: str = "view") -> QuerySet[Correction]:
    return Correction.objects.for_user(user, action).select_related(
        "person", "person__region", "certificate", "submitted_by"
    )


def share_link_list(*, user: User) -> QuerySet[ShareLink]:
    return ShareLink.objects.for_user(user, "view").select_related("person")


def share_link_person(*, token: str) -> Person | None:
    """The person whose passport an active share link shows (public: the token is the key)."""
    from .services import share_token_digest

    link = (
        ShareLink.objects.filter(
            token_digest=share_token_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("person")
        .first()
    )
    return link.person if link else None
