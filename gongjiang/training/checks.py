"""The checks of one trainee line of a subsidy claim, against the registry, the subsidy table and
the limits. Each refusal is a Chinese reason; a line with none is eligible."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from gongjiang.benefits.selectors import exclusive_entitlement, policies_excluding
from gongjiang.talents.counting import counts_on
from gongjiang.talents.models import Certificate, Person

from .choices import LIVE_CLAIM, SUBSIDY_POLICY_CODE, SubsidyKind
from .models import ClaimCap, ClaimLine, Course, Schedule, SubsidyRate

DEFAULT_YEARLY_CAP = 3  # when the city has set no cap for the year (ClaimCap)


@dataclass
class Verdict:
    person: Person | None = None
    certificate: Certificate | None = None
    amount: Decimal = Decimal(0)
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def yearly_cap(year: int) -> int:
    return (
        ClaimCap.objects.filter(year=year).values_list("max_lines", flat=True).first() or DEFAULT_YEARLY_CAP
    )


def rate_for(*, kind: str, course: Course) -> Decimal | None:
    """What a certificate from ``course`` earns under ``kind``; None when the course is not rated."""
    if not course.subsidy_class:
        return None
    return (
        SubsidyRate.objects.filter(kind=kind, subsidy_class=course.subsidy_class, level_id=course.level_id)
        .values_list("amount", flat=True)
        .first()
    )


def _live_lines(exclude_claim: int | None):
    lines = ClaimLine.objects.filter(eligible=True, claim__status__in=LIVE_CLAIM)
    return lines.exclude(claim_id=exclude_claim) if exclude_claim else lines


def line_check(
    *,
    kind: str,
    course: Course,
    schedule: Schedule,
    id_digest: str,
    name: str,
    certificate_number: str,
    year: int,
    earlier: list[Verdict] = (),
    exclude_claim: int | None = None,
) -> Verdict:
    """Check one trainee: in the registry under this name, the certificate theirs, valid, of the
    course's occupation and level, issued on or after the class began; not already subsidised for
    this occupation and level (under ``kind``), the certificate not claimed under the other kind,
    and the person under the year's cap. ``earlier`` are the lines above in the same claim."""
    verdict = Verdict()
    reasons = verdict.reasons
    person = Person.objects.filter(id_digest=id_digest).first()
    if person is None:
        reasons.append("人才库中没有该身份证号的人员")
        return verdict
    if person.name != name.strip():
        reasons.append("姓名与人才库记录（%s）不一致" % person.name)
        return verdict
    verdict.person = person
    certificate = (
        Certificate.objects.filter(person=person, number=certificate_number.strip())
        .select_related("level")
        .first()
    )
    if certificate is None:
        reasons.append("该人员名下没有编号为 %s 的证书" % certificate_number)
        return verdict
    verdict.certificate = certificate
    today = timezone.localdate()
    if not counts_on(certificate, today):  # the one rule for "valid on a date" (talents.counting)
        if certificate.status == "revoked":
            reasons.append("证书已撤销")
        elif certificate.level_id is None:
            reasons.append("该证书没有技能等级")
        elif certificate.valid_until:
            reasons.append("证书已于 %s 过期" % certificate.valid_until.isoformat())
        else:
            reasons.append("证书已过期")
    if certificate.occupation_id != course.occupation_id:
        reasons.append(
            "证书职业（%s）与课程职业不符"
            % (certificate.occupation_name or certificate.occupation_id or "未填")
        )
    if certificate.level_id != course.level_id:
        reasons.append(
            "证书等级（%s）与课程等级不符" % (certificate.level.name if certificate.level_id else "无等级")
        )
    if certificate.issue_date < schedule.starts_on:
        reasons.append(
            "发证日期 %s 早于开班日期 %s"
            % (certificate.issue_date.isoformat(), schedule.starts_on.isoformat())
        )
    amount = rate_for(kind=kind, course=course)
    if amount is None:
        reasons.append("课程未列入补贴目录或补贴标准中没有该类别和等级")
    else:
        verdict.amount = amount
    lines = _live_lines(exclude_claim)
    same = Q(person=person, occupation_id=course.occupation_id, level_id=course.level_id, claim__kind=kind)
    if lines.filter(same).exists() or any(
        v.person == person
        and v.certificate
        and v.certificate.occupation_id == course.occupation_id
        and v.certificate.level_id == course.level_id
        for v in earlier
        if v.eligible
    ):
        reasons.append("该人员已申领过同职业同等级的%s，每人每职业每等级限一次" % SubsidyKind(kind).label)
    other = SubsidyKind.UPGRADE if kind == SubsidyKind.VOCATIONAL else SubsidyKind.VOCATIONAL
    if lines.filter(certificate=certificate, claim__kind=other).exists():
        reasons.append("该证书已申领%s，不能同时申领%s" % (other.label, SubsidyKind(kind).label))
    # The same subsidy may also reach the talent through a benefits policy (技能提升补贴 applied
    # for by the talent): a policy that excludes this claim's policy excludes it both ways.
    held = exclusive_entitlement(
        person_id=person.pk,
        level_id=certificate.level_id,
        codes=policies_excluding(SUBSIDY_POLICY_CODE[SubsidyKind(kind)]),
    )
    if held is not None and certificate.level_id:
        reasons.append("该人员已享受同等级的“%s”，不能再申领%s" % (held.policy.name, SubsidyKind(kind).label))
    cap = yearly_cap(year)
    held = lines.filter(person=person, claim__submitted_at__year=year).count() + sum(
        1 for v in earlier if v.eligible and v.person == person
    )
    if held >= cap:
        reasons.append("该人员%d年已享受 %d 次培训补贴，达到每年 %d 次的上限" % (year, held, cap))
    return verdict
