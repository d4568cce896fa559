"""Writes of competitions: competitions, events, results, award rules, and the publication that
turns results into honour titles, prize money and promotion certificates.

Honours sit below competitions in the layers (docs/decisions/022): this app may not import them, so
the publication takes the honours registry as an argument (``titles``: anything with the
``TitleRegistry`` methods; pages and commands pass ``honours.services.COMPETITION_TITLES``). The
grant and the certificate are written in the caller's one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import ensure_in_scope
from gongjiang.accounts.services import audit_record, model_changes
from gongjiang.core.models import SkillLevel
from gongjiang.core.validators import reason_clean
from gongjiang.evaluation.services import certificate_number_prefix, certificate_numbers_allocate
from gongjiang.talents.choices import CertificateSource, CertificateStatus, Gender
from gongjiang.talents.counting import counts_on_q
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.services import certificate_create, certificate_revoke

from .choices import Award, EventStatus, Promotion, ResultStatus
from .models import AwardRule, Competition, Event, Result

COMPETITION_ISSUER = "连云港市人力资源和社会保障局"
# The promotion certificate is a 职业技能等级证书; competitions promote up to 高级技师 at most.
TOP_LEVEL = "GRADE1"
PROMOTION_LADDER = ("GRADE5", "GRADE4", "GRADE3", "GRADE2", "GRADE1")
YOUTH_AGE = 35


class TitleRegistry(Protocol):
    """What publishing needs from the honours registry (implemented by honours.services)."""

    def grant(
        self, *, actor: User, person: Person, code: str, on: datetime.date, source: str, note: str
    ) -> str:
        """Enter title ``code`` for ``person`` from ``source``; returns the title's name."""

    def revoke(self, *, actor: User, source: str, reason: str) -> int:
        """Revoke every title granted from ``source``; returns how many."""


def _source(result: Result) -> str:
    return "competitions.result:%d" % result.pk


# ---------------------------------------------------------------------------------------------
# Award rules


def award_rule_for(*, tier: str, award: str, year: int) -> AwardRule | None:
    """The rule in force for ``award`` at ``tier`` in ``year``: the latest ``year_from`` not after it."""
    return (
        AwardRule.objects.select_related("promotion_level")
        .filter(tier=tier, award=award, year_from__lte=year)
        .order_by("-year_from")
        .first()
    )


@transaction.atomic
def award_rule_save(*, actor: User, rule: AwardRule) -> AwardRule:
    """Create or change an award rule (the city); audited with what changed."""
    fields = (
        "tier",
        "award",
        "year_from",
        "title_code",
        "youth_title_code",
        "women_title_code",
        "prize",
        "promotion",
        "promotion_level_id",
        "note",
    )
    before = {}
    if rule.pk:
        old = AwardRule.objects.get(pk=rule.pk)
        before = {f: getattr(old, f) for f in fields}
    rule.full_clean()
    rule.save()
    ensure_in_scope(rule, actor, "change" if before else "add")
    after = {f: getattr(rule, f) for f in fields}
    audit_record(
        actor=actor,
        action="awardrule.update" if before else "awardrule.create",
        obj=rule,
        changes=model_changes(before, after) if before else after,
    )
    return rule


@dataclass(frozen=True)
class PromotionStep:
    """What a rule gives a person: ``level`` to certify (None: no promotion) and why."""

    level: str | None
    note: str


def current_level(person: Person, on: datetime.date) -> SkillLevel | None:
    """The person's highest level counting on ``on`` (the one counting rule)."""
    certificate = (
        Certificate.objects.filter(counts_on_q(on), person=person)
        .select_related("level")
        .order_by("-level__rank")
        .first()
    )
    return certificate.level if certificate else None


def promotion_for(rule: AwardRule | None, current: SkillLevel | None) -> PromotionStep:
    """The level a rule promotes to from ``current``: one level up, or straight to the named level
    (already at it or above: one more, as Hainan's 2023 rules publish it); never above 高级技师."""
    if rule is None or rule.promotion == Promotion.NONE:
        return PromotionStep(None, "")
    levels = {lv.code: lv for lv in SkillLevel.objects.filter(code__in=PROMOTION_LADDER)}
    ladder = sorted(levels.values(), key=lambda lv: lv.rank)
    top = levels[TOP_LEVEL]
    if current is not None and current.rank >= top.rank:
        return PromotionStep(None, "已是%s，不再晋升" % current.name)
    if rule.promotion == Promotion.ONE_UP or (
        current is not None and current.rank >= rule.promotion_level.rank
    ):
        target = next((lv for lv in ladder if current is None or lv.rank > current.rank), None)
        how = "晋升一级" if rule.promotion == Promotion.ONE_UP else "已具有%s，晋升高一级" % current.name
    else:
        target, how = rule.promotion_level, "直接晋升"
    if target is None or target.rank > top.rank:
        return PromotionStep(None, "已是%s，不再晋升" % top.name)
    return PromotionStep(target.code, "%s：%s" % (how, target.name))


def titles_for(rule: AwardRule | None, *, competition: Competition, person: Person) -> list[str]:
    """The title codes a result earns: the rule's title; the youth title for a competitor under 35
    on the competition's date and the women's title for a woman, where the organisers award them."""
    if rule is None:
        return []
    codes = [rule.title_code] if rule.title_code else []
    if competition.awards_youth_title and rule.youth_title_code:
        held = competition.held_on
        born = person.birth_date
        age = held.year - born.year - ((held.month, held.day) < (born.month, born.day))
        if age < YOUTH_AGE:
            codes.append(rule.youth_title_code)
    if competition.awards_women_title and rule.women_title_code and person.gender == Gender.FEMALE:
        codes.append(rule.women_title_code)
    return codes


# ---------------------------------------------------------------------------------------------
# Competitions, events, results


@transaction.atomic
def competition_create(*, actor: User, competition: Competition) -> Competition:
    competition.created_by = actor
    competition.full_clean()
    competition.save()
    ensure_in_scope(competition, actor, "add")
    audit_record(
        actor=actor,
        action="competition.create",
        obj=competition,
        changes={"name": competition.name, "tier": competition.tier, "year": competition.year},
    )
    return competition


@transaction.atomic
def event_create(*, actor: User, event: Event) -> Event:
    event.full_clean()
    event.save()
    ensure_in_scope(event, actor, "add")
    audit_record(
        actor=actor,
        action="competition_event.create",
        obj=event,
        changes={"competition": event.competition_id, "name": event.name},
    )
    return event


@transaction.atomic
def result_record(*, actor: User, event: Event, person: Person, award: str, rank: int | None) -> Result:
    """Record (or correct, before publication) a competitor's result. A published result is
    withdrawn first (which revokes what it granted); a withdrawn one may be recorded again."""
    if award not in Award.values:
        raise ValidationError({"award": "奖项不正确"})
    if rank is not None and rank < 1:
        raise ValidationError({"rank": "名次应为正整数"})
    result = Result.objects.select_for_update().filter(event=event, person=person).first()
    if result is not None and result.status == ResultStatus.PUBLISHED:
        raise ValidationError("%s的成绩已公布；如需更正，请先撤回该成绩" % person.name)
    before = {"award": result.award, "rank": result.rank, "status": result.status} if result else {}
    if result is None:
        result = Result(event=event, person=person)
    result.award, result.rank, result.status = award, rank, ResultStatus.RECORDED
    result.prize, result.titles, result.promotion_note, result.certificate = None, "", "", None
    result.full_clean()
    result.save()
    ensure_in_scope(event, actor, "change")
    after = {"award": award, "rank": rank, "status": ResultStatus.RECORDED}
    audit_record(
        actor=actor,
        action="competition_result.record",
        obj=result,
        changes=model_changes(before, after) if before else {"person": person.pk, **after},
    )
    return result


def _promotion_certificate(*, actor: User, result: Result, level_code: str, on: datetime.date) -> Certificate:
    level = SkillLevel.objects.get(code=level_code)
    prefix = certificate_number_prefix(
        letter="S", organisation_id=0, year=on.year, level_code=level.certificate_digit
    )
    (number,) = certificate_numbers_allocate(prefix=prefix, count=1)
    event = result.event
    return certificate_create(
        actor=actor,
        person=result.person,
        cert_type_id="skill_level",
        level_id=level_code,
        occupation_id=event.occupation_id,
        occupation_name=event.occupation.name if event.occupation_id else event.name,
        number=number,
        issuer=COMPETITION_ISSUER,
        issue_date=on,
        source=CertificateSource.COMPETITION,
        on_request="competition_result:%d" % result.pk,
    )


@dataclass
class Publication:
    published: int = 0
    titles: int = 0
    promotions: int = 0
    prize: Decimal = Decimal("0")


@transaction.atomic
def event_publish(*, actor: User, event: Event, titles: TitleRegistry) -> Publication:
    """Publish the event's results recorded since the last publication: each award's rule (in force
    for the competition's year) grants its titles into the honours registry, fixes the prize and
    issues the promotion certificate (type 职业技能等级证书, source 竞赛晋升, dated the publication
    day, so it counts for the targets from then). All in one transaction; a result already
    published is never applied twice."""
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("competition", "occupation")
        .get(pk=event.pk)
    )
    ensure_in_scope(event, actor, "publish")
    competition = event.competition
    pending = list(
        Result.objects.select_for_update(of=("self",))
        .filter(event=event, status=ResultStatus.RECORDED)
        .select_related("person")
        .order_by("id")
    )
    if not pending and event.status == EventStatus.PUBLISHED:
        raise ValidationError("没有新录入的成绩需要公布")
    if not pending and not event.results.exists():
        raise ValidationError("本项目还没有成绩，不能公布")
    today = timezone.localdate()
    now = timezone.now()
    outcome = Publication()
    for result in pending:
        result.event = event
        rule = award_rule_for(tier=competition.tier, award=result.award, year=competition.year)
        names = [
            titles.grant(
                actor=actor,
                person=result.person,
                code=code,
                on=today,
                source=_source(result),
                note="%s %s %s" % (competition.name, event.name, result.get_award_display()),
            )
            for code in titles_for(rule, competition=competition, person=result.person)
        ]
        step = promotion_for(rule, current_level(result.person, today))
        if step.level:
            result.certificate = _promotion_certificate(
                actor=actor, result=result, level_code=step.level, on=today
            )
            outcome.promotions += 1
        result.titles = "、".join(names)
        result.promotion_note = step.note
        result.prize = rule.prize if rule else Decimal("0")
        result.status, result.published_at = ResultStatus.PUBLISHED, now
        result.save(
            update_fields=["titles", "promotion_note", "prize", "status", "published_at", "certificate"]
        )
        outcome.published += 1
        outcome.titles += len(names)
        outcome.prize += result.prize
    if event.status != EventStatus.PUBLISHED:
        event.status, event.published_at, event.published_by = EventStatus.PUBLISHED, now, actor
        event.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        actor=actor,
        action="competition_event.publish",
        obj=event,
        changes={
            "results": outcome.published,
            "titles": outcome.titles,
            "promotions": outcome.promotions,
            "prize": str(outcome.prize),
        },
    )
    return outcome


@transaction.atomic
def result_withdraw(*, actor: User, result: Result, reason: str, titles: TitleRegistry) -> Result:
    """Withdraw a published result (e.g. a ruling after the contest): its promotion certificate is
    revoked, its titles are revoked in the honours registry; the prize is no longer due."""
    reason = reason_clean(reason, what="撤回原因", message="请填写撤回原因", keep=200)
    result = (
        Result.objects.select_for_update(of=("self",)).select_related("event", "person").get(pk=result.pk)
    )
    ensure_in_scope(result.event, actor, "publish")
    if result.status != ResultStatus.PUBLISHED:
        raise ValidationError("只有已公布的成绩可以撤回")
    revoked_certificate = ""
    if result.certificate_id:
        certificate = Certificate.objects.get(pk=result.certificate_id)
        if certificate.status == CertificateStatus.VALID:
            certificate_revoke(actor=actor, certificate=certificate, reason="竞赛成绩撤回：%s" % reason)
            revoked_certificate = certificate.number
    revoked_titles = titles.revoke(actor=actor, source=_source(result), reason="竞赛成绩撤回：%s" % reason)
    result.status, result.withdrawn_reason, result.prize = ResultStatus.WITHDRAWN, reason[:200], None
    result.save(update_fields=["status", "withdrawn_reason", "prize"])
    audit_record(
        actor=actor,
        action="competition_result.withdraw",
        obj=result,
        changes={"reason": reason[:200], "certificate": revoked_certificate, "titles": revoked_titles},
    )
    return result
