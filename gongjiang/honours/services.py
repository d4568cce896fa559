"""Writes of honours: the registry of honours held (granted from competitions or selection rounds),
selection rounds, nominations and their steps on the one workflow."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import OutOfScope, ensure_in_scope
from gongjiang.accounts.services import audit_record
from gongjiang.core.validators import reason_clean
from gongjiang.talents.models import Person
from gongjiang.workflow.services import Effect, transition_take, workflow_start

from .choices import AwardSource, AwardStatus, NominationStatus
from .models import HonourAward, HonourTitle, Nomination, SelectionRound
from .selectors import eligibility_checks, person_record
from .workflows import NOMINATION_WORKFLOW

# ---------------------------------------------------------------------------------------------
# The registry


@transaction.atomic
def honour_grant(
    *,
    actor: User,
    person: Person,
    title: HonourTitle,
    on: datetime.date,
    source: str,
    source_ref: str,
    note: str = "",
) -> HonourAward:
    """Enter an honour held by ``person``; the same grant from the same source is entered once."""
    existing = HonourAward.objects.filter(
        person=person, title=title, source_ref=source_ref, status=AwardStatus.GRANTED
    ).first()
    if existing is not None and source_ref:
        return existing
    award = HonourAward.objects.create(
        person=person, title=title, granted_on=on, source=source, source_ref=source_ref, note=note[:200]
    )
    audit_record(
        actor=actor,
        action="honour.grant",
        obj=award,
        changes={"person": person.pk, "title": title.code, "source": source_ref, "granted_on": on},
    )
    return award


@transaction.atomic
def honours_revoke_by_source(*, actor: User, source_ref: str, reason: str) -> int:
    """Revoke every standing honour granted from ``source_ref`` (a withdrawn result or decision)."""
    revoked = 0
    for award in HonourAward.objects.select_for_update().filter(
        source_ref=source_ref, status=AwardStatus.GRANTED
    ):
        award.status, award.revoked_reason, award.revoked_at = (
            AwardStatus.REVOKED,
            reason[:200],
            timezone.now(),
        )
        award.save(update_fields=["status", "revoked_reason", "revoked_at"])
        audit_record(
            actor=actor,
            action="honour.revoke",
            obj=award,
            changes={"status": [AwardStatus.GRANTED, AwardStatus.REVOKED], "reason": reason[:200]},
        )
        revoked += 1
    return revoked


class CompetitionTitles:
    """The honours registry as competitions' publication sees it (competitions.services.
    TitleRegistry): the layers let honours read competitions, not the reverse (docs/decisions/022)."""

    def grant(
        self, *, actor: User, person: Person, code: str, on: datetime.date, source: str, note: str
    ) -> str:
        title = HonourTitle.objects.filter(code=code).first()
        if title is None:
            raise ValidationError(
                "奖励规则中的荣誉称号代码“%s”不在荣誉称号目录中，请先在参考数据中添加" % code
            )
        honour_grant(
            actor=actor,
            person=person,
            title=title,
            on=on,
            source=AwardSource.COMPETITION,
            source_ref=source,
            note=note,
        )
        return title.name

    def revoke(self, *, actor: User, source: str, reason: str) -> int:
        return honours_revoke_by_source(actor=actor, source_ref=source, reason=reason)


COMPETITION_TITLES = CompetitionTitles()


# ---------------------------------------------------------------------------------------------
# Rounds and nominations


@transaction.atomic
def round_create(*, actor: User, selection_round: SelectionRound) -> SelectionRound:
    rnd = selection_round
    if rnd.publicity_start < rnd.nominations_close or rnd.publicity_end < rnd.publicity_start:
        raise ValidationError("日期顺序应为：推荐截止 ≤ 公示开始 ≤ 公示结束")
    rnd.created_by = actor
    rnd.full_clean()
    rnd.save()
    ensure_in_scope(rnd, actor, "add")
    audit_record(
        actor=actor,
        action="selection_round.create",
        obj=rnd,
        changes={"title": rnd.title_id, "year": rnd.year, "quota": rnd.quota},
    )
    return rnd


@dataclass
class NominationData:
    person: Person
    in_post_since: datetime.date
    merits: str
    nominating_org_id: int | None = None


@transaction.atomic
def nomination_create(*, actor: User, selection_round: SelectionRound, data: NominationData) -> Nomination:
    """Nominate a person in a round (an organisation for its staff, a county for its region, or the
    city): refused after the round's closing date, twice in one round, or when an eligibility check
    fails (every failing check's reason is given). The person's record is attached as it stands."""
    today = timezone.localdate()
    rnd = selection_round
    if not Person.objects.for_user(actor).filter(pk=data.person.pk).exists():
        raise OutOfScope("只能推荐本单位或本县区的人员")
    if today > rnd.nominations_close:
        raise ValidationError("推荐已于%s截止" % rnd.nominations_close.isoformat())
    if Nomination.objects.filter(round=rnd, person=data.person).exists():
        raise ValidationError("%s已在本轮被推荐" % data.person.name)
    checks = eligibility_checks(
        title=rnd.title, person=data.person, in_post_since=data.in_post_since, on=today
    )
    failed = [c["reason"] for c in checks if not c["ok"]]
    if failed:
        raise ValidationError("不符合推荐条件：%s" % "；".join(failed))
    record = person_record(person=data.person, on=today)
    nomination = Nomination(
        round=rnd,
        person=data.person,
        region_id=data.person.region_id,
        nominating_org_id=data.nominating_org_id or actor.organisation_id,
        submitted_by=actor,
        submitted_at=timezone.now(),
        in_post_since=data.in_post_since,
        merits=reason_clean(data.merits, what="主要事迹", message="请填写主要事迹", keep=2000),
        record=record,
        checks=checks,
        high_skilled=record["high_skilled"],
    )
    nomination.full_clean(exclude=["record", "checks"])
    workflow_start(
        workflow=NOMINATION_WORKFLOW,
        obj=nomination,
        actor=actor,
        state=NominationStatus.SUBMITTED,
        label="推荐",
    )
    ensure_in_scope(nomination, actor, "add")
    return nomination


def nomination_transition(
    *, actor: User, nomination: Nomination, action: str, reason: str = ""
) -> Nomination:
    """A declared step of the nomination (workflows.py); selecting grants the honour into the registry."""

    def apply(locked: Nomination) -> Effect:
        if action == "resubmit":
            # The corrected nomination is checked and its record attached again, as of today.
            today = timezone.localdate()
            checks = eligibility_checks(
                title=locked.round.title, person=locked.person, in_post_since=locked.in_post_since, on=today
            )
            failed = [c["reason"] for c in checks if not c["ok"]]
            if failed:
                raise ValidationError("不符合推荐条件：%s" % "；".join(failed))
            locked.checks, locked.record = checks, person_record(person=locked.person, on=today)
            locked.high_skilled = locked.record["high_skilled"]
            return Effect()
        if action == "object":
            locked.objections += 1
            return Effect(changes={"objections": locked.objections})
        if action == "select":
            award = honour_grant(
                actor=actor,
                person=locked.person,
                title=locked.round.title,
                on=timezone.localdate(),
                source=AwardSource.SELECTION,
                source_ref="honours.nomination:%d" % locked.pk,
                note=locked.round.name,
            )
            return Effect(changes={"honour": award.pk})
        return Effect()

    return transition_take(
        workflow=NOMINATION_WORKFLOW,
        obj=nomination,
        action=action,
        actor=actor,
        reason=reason,
        apply=apply,
        lock=Nomination.objects.select_related("round__title", "person"),
    )
