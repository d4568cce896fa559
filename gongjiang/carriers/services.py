"""Writes of training carriers: every step of the lifecycle is one service.

Each step locks the carrier row, checks that the actor's role owns the step and that the carrier
is in the status the step starts from (an illegal transition raises ValidationError and changes
nothing), applies the per-type rules (``CarrierRule``, data the city admin edits), writes one
``CarrierEvent`` (who, when, from, to, note) and one audit row, all in one transaction.

    declare ──► county_review ──► city_review ──► recognised ──► revoked
                  │    ▲             │    ▲          │  ▲ upgrade (市级→省级→国家级)
                  ▼    │ resubmit    ▼    │          └──┘ annual assessment
                returned ◄───────────┘ (back to the step that returned it)
    county_review / city_review ──► rejected
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import ensure_in_scope, scope
from gongjiang.accounts.services import audit_record, model_changes
from gongjiang.talents.models import Person

from .choices import (
    ACTIVE_STATUSES,
    CITY_OR_ABOVE,
    LEVEL_RANK,
    AssessmentResult,
    CarrierLevel,
    CarrierStatus,
    EventAction,
)
from .models import Carrier, CarrierAssessment, CarrierEvent, CarrierRule, ExpertScore, allowed_levels
from .selectors import carriers_in_assessment, rule_for

MAX_GRANT = Decimal("10000000")  # 1,000万元: larger grants are not in any carrier scheme
EDITABLE_FIELDS = ("name", "applied_level", "leader_id", "region_id", "domain_id", "summary")


@dataclass
class CarrierData:
    """What a declaration (form) supplies; the host and leader already resolved to rows."""

    name: str
    carrier_type_id: str
    applied_level: str
    host_id: int
    leader_id: int
    region_id: str
    domain_id: str
    summary: str = ""


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved ``years`` years on (29 February becomes 1 March in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


# --- rules -----------------------------------------------------------------------------------


def check_leader(*, carrier_type_id: str, leader: Person) -> None:
    """The type's minimum leader level (rules data): the leader's highest valid level must reach it."""
    rule = rule_for(carrier_type_id)
    minimum = rule.min_leader_level
    if minimum is None:
        return
    highest = leader.highest_level
    if highest is None or highest.rank < minimum.rank:
        raise ValidationError(
            {
                "leader": "%(type)s的领办人须为%(min)s及以上，%(name)s目前的最高有效等级为%(level)s"
                % {
                    "type": rule.carrier_type.name,
                    "min": minimum.name,
                    "name": leader.name,
                    "level": highest.name if highest else "无",
                }
            }
        )


def check_lockout(*, carrier_type_id: str, host_id: int, on: datetime.date) -> None:
    """A host whose carrier of this type was revoked may not declare the type again for the
    number of years the type's rule says."""
    rule = rule_for(carrier_type_id)
    last = (
        Carrier.objects.filter(carrier_type_id=carrier_type_id, host_id=host_id, status=CarrierStatus.REVOKED)
        .exclude(revoked_on=None)
        .order_by("-revoked_on")
        .values_list("revoked_on", flat=True)
        .first()
    )
    if last is None or not rule.lockout_years:
        return
    until = add_years(last, rule.lockout_years)
    if on < until:
        raise ValidationError(
            {
                "carrier_type": "该单位的%(type)s已于%(revoked)s被撤销，%(until)s前不得再次申报同类载体"
                % {"type": rule.carrier_type.name, "revoked": last.isoformat(), "until": until.isoformat()}
            }
        )


def _check_no_duplicate(carrier: Carrier) -> None:
    other = (
        Carrier.objects.filter(
            carrier_type_id=carrier.carrier_type_id,
            host_id=carrier.host_id,
            leader_id=carrier.leader_id,
            status__in=ACTIVE_STATUSES,
        )
        .exclude(pk=carrier.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "leader": "该单位已有由该领办人领办的同类载体“%(name)s”（%(status)s），不能重复申报"
                % {"name": other.name, "status": other.get_status_display()}
            }
        )


def _check_leader_visible(actor: User, leader_id: int) -> Person:
    leader = scope(Person.objects.filter(pk=leader_id), actor, "view").select_related("highest_level").first()
    if leader is None:
        raise ValidationError({"leader": "在您可查看的人才库中没有找到该领办人"})
    return leader


# --- helpers ---------------------------------------------------------------------------------


def _lock(carrier: Carrier, actor: User, action) -> Carrier:
    """The carrier row, locked, if ``actor`` may ``action`` it (the one scope rule). ``action`` may
    be a function of the locked row, for steps whose owner depends on the status."""
    locked = Carrier.objects.select_for_update().get(pk=carrier.pk)
    if callable(action):
        action = action(locked)
    if not scope(Carrier.objects.filter(pk=carrier.pk), actor, action).exists():
        raise PermissionDenied("您无权办理该载体的这一环节")
    return locked


def _require(carrier: Carrier, statuses: tuple[str, ...], message: str) -> None:
    if carrier.status not in statuses:
        raise ValidationError(
            "%(message)s（当前状态：%(status)s）"
            % {"message": message, "status": carrier.get_status_display()}
        )


def _not_own(carrier: Carrier, actor: User) -> None:
    if carrier.declared_by_id and carrier.declared_by_id == actor.pk:
        raise ValidationError("申报人不能审核本人提交的申报，请由其他人员办理")


def _enter(carrier: Carrier, status: str, today: datetime.date) -> None:
    """Move to ``status``; a waiting step gets its deadline from the type's rules."""
    carrier.status = status
    carrier.step_started_on = today
    days = rule_for(carrier.carrier_type_id).days_for(status)
    carrier.due_on = today + datetime.timedelta(days=days) if days else None
    if status == CarrierStatus.CITY_REVIEW:
        carrier.city_round += 1  # scores of an earlier round judged earlier material


def _record(
    carrier: Carrier,
    actor: User | None,
    action: str,
    from_status: str,
    *,
    note: str = "",
    amount: Decimal | None = None,
    changes: dict | None = None,
) -> CarrierEvent:
    event = CarrierEvent.objects.create(
        carrier=carrier,
        at=timezone.now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=carrier.status,
        level=carrier.level or carrier.applied_level,
        amount=amount,
        note=note[:300],
    )
    audit_record(
        actor=actor,
        action="carrier." + action,
        obj=carrier,
        changes={"status": [from_status, carrier.status], "note": note[:300], **(changes or {})},
    )
    return event


def _note(note: str, *, required: str | None = None, field: str = "note") -> str:
    note = (note or "").strip()
    if required and len(note) < 2:
        raise ValidationError({field: required})
    return note[:300]


def _check_date(on: datetime.date, *, earliest: datetime.date | None, field: str, label: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: "%s不能晚于今天" % label})
    if earliest and on < earliest:
        raise ValidationError({field: "%s不能早于%s" % (label, earliest.isoformat())})


def _check_amount(amount: Decimal | None) -> None:
    if amount is not None and not (Decimal("0") <= amount <= MAX_GRANT):
        raise ValidationError({"grant_amount": "资助金额应在 0 至 10,000,000 元之间"})


# --- the lifecycle ---------------------------------------------------------------------------


@transaction.atomic
def carrier_declare(*, actor: User, data: CarrierData) -> Carrier:
    """Declare a carrier (an organisation for itself, or the city admin on its behalf); it goes
    straight to county review with the deadline the type's rules give."""
    today = timezone.localdate()
    leader = _check_leader_visible(actor, data.leader_id)
    carrier = Carrier(
        name=data.name.strip(),
        carrier_type_id=data.carrier_type_id,
        host_id=data.host_id,
        leader=leader,
        region_id=data.region_id,
        domain_id=data.domain_id,
        summary=data.summary.strip(),
        applied_level=data.applied_level,
        declared_by=actor,
        submitted_at=timezone.now(),
    )
    carrier.full_clean(validate_constraints=False)
    check_lockout(carrier_type_id=data.carrier_type_id, host_id=data.host_id, on=today)
    check_leader(carrier_type_id=data.carrier_type_id, leader=leader)
    _check_no_duplicate(carrier)
    _enter(carrier, CarrierStatus.COUNTY_REVIEW, today)
    carrier.save()
    ensure_in_scope(carrier, actor, "add")
    _record(carrier, actor, EventAction.DECLARE, "", changes={"host": data.host_id, "leader": leader.pk})
    return carrier


@transaction.atomic
def carrier_update(*, actor: User, carrier: Carrier, data: CarrierData) -> Carrier:
    """Correct a declaration returned for 补正 (type and host stay as declared)."""
    carrier = _lock(carrier, actor, "change")
    _require(carrier, (CarrierStatus.RETURNED,), "只有退回补正的申报可以修改")
    before = {f: getattr(carrier, f) for f in EDITABLE_FIELDS}
    leader = _check_leader_visible(actor, data.leader_id)
    carrier.name, carrier.applied_level, carrier.leader = data.name.strip(), data.applied_level, leader
    carrier.region_id, carrier.domain_id, carrier.summary = (
        data.region_id,
        data.domain_id,
        data.summary.strip(),
    )
    carrier.full_clean(validate_constraints=False)
    check_leader(carrier_type_id=carrier.carrier_type_id, leader=leader)
    _check_no_duplicate(carrier)
    carrier.save()
    ensure_in_scope(carrier, actor, "change")
    changes = model_changes(before, {f: getattr(carrier, f) for f in EDITABLE_FIELDS})
    _record(carrier, actor, EventAction.UPDATE, carrier.status, changes={"fields": changes})
    return carrier


@transaction.atomic
def carrier_resubmit(*, actor: User, carrier: Carrier, note: str = "") -> Carrier:
    """Send a corrected declaration back to the step that returned it (not to the start)."""
    carrier = _lock(carrier, actor, "change")
    _require(carrier, (CarrierStatus.RETURNED,), "只有退回补正的申报可以重新提交")
    leader = Person.objects.select_related("highest_level").get(pk=carrier.leader_id)
    check_leader(carrier_type_id=carrier.carrier_type_id, leader=leader)
    before = carrier.status
    _enter(carrier, carrier.returned_from or CarrierStatus.COUNTY_REVIEW, timezone.localdate())
    carrier.returned_from = ""
    carrier.save()
    _record(carrier, actor, EventAction.RESUBMIT, before, note=_note(note))
    return carrier


@transaction.atomic
def carrier_county_pass(*, actor: User, carrier: Carrier, note: str = "") -> Carrier:
    """The county's first review passes the declaration on to the city."""
    carrier = _lock(carrier, actor, "review")
    _require(carrier, (CarrierStatus.COUNTY_REVIEW,), "只有待县区初审的申报可以初审通过")
    _not_own(carrier, actor)
    _enter(carrier, CarrierStatus.CITY_REVIEW, timezone.localdate())
    carrier.save()
    _record(carrier, actor, EventAction.COUNTY_PASS, CarrierStatus.COUNTY_REVIEW, note=_note(note))
    return carrier


def _reviewing_action(carrier: Carrier) -> str:
    return "review" if carrier.status == CarrierStatus.COUNTY_REVIEW else "recognise"


@transaction.atomic
def carrier_return(*, actor: User, carrier: Carrier, note: str) -> Carrier:
    """Return a declaration for 补正, from county review (the county) or city review (the city);
    the host resubmits it straight to the step that returned it."""
    note = _note(note, required="退回补正须写明需要补正的内容")
    carrier = _lock(carrier, actor, _reviewing_action)
    _require(
        carrier, (CarrierStatus.COUNTY_REVIEW, CarrierStatus.CITY_REVIEW), "只有审核中的申报可以退回补正"
    )
    _not_own(carrier, actor)
    before = carrier.status
    carrier.returned_from = before
    _enter(carrier, CarrierStatus.RETURNED, timezone.localdate())
    carrier.save()
    _record(carrier, actor, EventAction.RETURN, before, note=note)
    return carrier


@transaction.atomic
def carrier_reject(*, actor: User, carrier: Carrier, note: str) -> Carrier:
    """Refuse a declaration at county or city review (final)."""
    note = _note(note, required="不予通过须写明理由")
    carrier = _lock(carrier, actor, _reviewing_action)
    _require(
        carrier, (CarrierStatus.COUNTY_REVIEW, CarrierStatus.CITY_REVIEW), "只有审核中的申报可以不予通过"
    )
    _not_own(carrier, actor)
    before = carrier.status
    carrier.status, carrier.due_on = CarrierStatus.REJECTED, None
    carrier.save()
    _record(carrier, actor, EventAction.REJECT, before, note=note)
    return carrier


@transaction.atomic
def carrier_score_add(*, actor: User, carrier: Carrier, expert_name: str, score: Decimal) -> ExpertScore:
    """Record one expert's score in the current round of city review."""
    carrier = _lock(carrier, actor, "recognise")
    _require(carrier, (CarrierStatus.CITY_REVIEW,), "只有待市级评审的载体可以录入专家评分")
    expert_name = (expert_name or "").strip()
    if not expert_name:
        raise ValidationError({"expert_name": "请填写专家姓名"})
    if ExpertScore.objects.filter(
        carrier=carrier, round=carrier.city_round, expert_name=expert_name
    ).exists():
        raise ValidationError({"expert_name": "专家“%s”在本轮评审中已经评过分" % expert_name})
    entry = ExpertScore(
        carrier=carrier, round=carrier.city_round, expert_name=expert_name, score=score, recorded_by=actor
    )
    entry.full_clean()
    entry.save()
    _record(carrier, actor, EventAction.SCORE, carrier.status, note="%s：%s分" % (expert_name, score))
    return entry


def score_mean(carrier: Carrier) -> Decimal | None:
    """The mean of the current round's expert scores (None before any score)."""
    scores = [s.score for s in ExpertScore.objects.filter(carrier=carrier, round=carrier.city_round)]
    if not scores:
        return None
    return (sum(scores) / len(scores)).quantize(Decimal("0.01"))


@transaction.atomic
def carrier_recognise(
    *,
    actor: User,
    carrier: Carrier,
    level: str,
    on: datetime.date,
    grant_amount: Decimal | None = None,
    note: str = "",
) -> Carrier:
    """Recognise a carrier after city review with enough expert scores (the type's rules)."""
    carrier = _lock(carrier, actor, "recognise")
    _require(carrier, (CarrierStatus.CITY_REVIEW,), "只有待市级评审的载体可以认定")
    _not_own(carrier, actor)
    rule = rule_for(carrier.carrier_type_id)
    count = ExpertScore.objects.filter(carrier=carrier, round=carrier.city_round).count()
    if count < rule.min_expert_scores:
        raise ValidationError(
            "认定前须录入至少%(n)d位专家的评分（本轮已录入%(have)d位）"
            % {"n": rule.min_expert_scores, "have": count}
        )
    if level not in allowed_levels(carrier.carrier_type):
        raise ValidationError(
            {"level": "%s不能认定为%s" % (carrier.carrier_type.name, CarrierLevel(level).label)}
        )
    _check_date(
        on,
        earliest=timezone.localdate(carrier.submitted_at) if carrier.submitted_at else None,
        field="recognised_on",
        label="认定日期",
    )
    _check_amount(grant_amount)
    check_leader(
        carrier_type_id=carrier.carrier_type_id,
        leader=Person.objects.select_related("highest_level").get(pk=carrier.leader_id),
    )
    mean = score_mean(carrier)
    carrier.status, carrier.level, carrier.recognised_on = CarrierStatus.RECOGNISED, level, on
    carrier.first_recognised_on = carrier.first_recognised_on or on
    if level in CITY_OR_ABOVE and carrier.city_level_since is None:
        carrier.city_level_since = on
    carrier.grant_amount, carrier.due_on, carrier.step_started_on = grant_amount, None, on
    carrier.full_clean(validate_constraints=False)
    carrier.save()
    _record(
        carrier,
        actor,
        EventAction.RECOGNISE,
        CarrierStatus.CITY_REVIEW,
        note=_note(note) or "专家评分均分 %s" % mean,
        amount=grant_amount,
        changes={"level": level, "on": on, "grant_amount": grant_amount, "mean_score": mean},
    )
    return carrier


@transaction.atomic
def carrier_assess(
    *, actor: User, carrier: Carrier, year: int, result: str, note: str = ""
) -> CarrierAssessment:
    """Record a recognised carrier's annual assessment. 优秀 is capped per type and year at the
    type's share (rules data) of the carriers that year's assessment covers, rounded down."""
    carrier = _lock(carrier, actor, "assess")
    _require(carrier, (CarrierStatus.RECOGNISED,), "只有已认定的载体可以年度考核")
    if result not in AssessmentResult.values:
        raise ValidationError({"result": "请选择考核结果"})
    first_year = carrier.first_recognised_on.year
    if not (first_year <= year <= timezone.localdate().year):
        raise ValidationError(
            {"year": "考核年度应在 %d 至 %d 年之间" % (first_year, timezone.localdate().year)}
        )
    if CarrierAssessment.objects.filter(carrier=carrier, year=year).exists():
        raise ValidationError({"year": "该载体%d年度已经考核过" % year})
    if result == AssessmentResult.EXCELLENT:
        # Serialise 优秀 decisions of one type, so two officers cannot both take the last place.
        CarrierRule.objects.select_for_update().filter(carrier_type_id=carrier.carrier_type_id).first()
        rule = rule_for(carrier.carrier_type_id)
        base = carriers_in_assessment(carrier_type_id=carrier.carrier_type_id, year=year).count()
        cap = math.floor(rule.excellent_share * base)
        taken = CarrierAssessment.objects.filter(
            carrier__carrier_type_id=carrier.carrier_type_id, year=year, result=AssessmentResult.EXCELLENT
        ).count()
        if taken >= cap:
            raise ValidationError(
                {
                    "result": "%(year)d年度%(type)s的优秀名额已满：参加考核%(base)d家，优秀不超过%(share)s%%即%(cap)d家"
                    % {
                        "year": year,
                        "type": carrier.carrier_type.name,
                        "base": base,
                        "share": format((rule.excellent_share * 100).normalize(), "f"),
                        "cap": cap,
                    }
                }
            )
    assessment = CarrierAssessment.objects.create(
        carrier=carrier, year=year, result=result, note=(note or "").strip()[:200], assessed_by=actor
    )
    label = "%d年度考核：%s" % (year, AssessmentResult(result).label)
    _record(
        carrier,
        actor,
        EventAction.ASSESS,
        carrier.status,
        note=label + ("；" + assessment.note if assessment.note else ""),
        changes={"year": year, "result": result},
    )
    return assessment


@transaction.atomic
def carrier_upgrade(
    *,
    actor: User,
    carrier: Carrier,
    level: str,
    on: datetime.date,
    grant_amount: Decimal | None = None,
    note: str = "",
) -> Carrier:
    """Record a recognised carrier's recognition at a higher level (e.g. 市级 → 省级). The first
    recognition dates stay, so the carrier is counted toward the target once, not again."""
    carrier = _lock(carrier, actor, "upgrade")
    _require(carrier, (CarrierStatus.RECOGNISED,), "只有已认定的载体可以升级")
    if level not in allowed_levels(carrier.carrier_type):
        raise ValidationError(
            {"level": "%s不能认定为%s" % (carrier.carrier_type.name, CarrierLevel(level).label)}
        )
    if LEVEL_RANK[CarrierLevel(level)] <= LEVEL_RANK[CarrierLevel(carrier.level)]:
        raise ValidationError({"level": "升级后的级别须高于现有级别（%s）" % carrier.get_level_display()})
    _check_date(on, earliest=carrier.recognised_on, field="recognised_on", label="升级认定日期")
    _check_amount(grant_amount)
    old = carrier.get_level_display()
    carrier.level, carrier.recognised_on = level, on
    if level in CITY_OR_ABOVE and carrier.city_level_since is None:
        carrier.city_level_since = on  # a 县级 carrier becomes 市级: it is new at 市级 from today
    if grant_amount is not None:
        carrier.grant_amount = grant_amount
    carrier.full_clean(validate_constraints=False)
    carrier.save()
    text = "%s → %s" % (old, carrier.get_level_display())
    _record(
        carrier,
        actor,
        EventAction.UPGRADE,
        carrier.status,
        note=text + ("；" + _note(note) if _note(note) else ""),
        amount=grant_amount,
        changes={"level": level, "on": on, "grant_amount": grant_amount},
    )
    return carrier


@transaction.atomic
def carrier_revoke(*, actor: User, carrier: Carrier, reason: str, on: datetime.date | None = None) -> Carrier:
    """Revoke a recognised carrier; its host may not declare the type again for the years the
    type's rules say, and it no longer counts toward the target."""
    reason = _note(reason, required="请填写撤销原因", field="reason")
    carrier = _lock(carrier, actor, "revoke")
    _require(carrier, (CarrierStatus.RECOGNISED,), "只有已认定的载体可以撤销")
    on = on or timezone.localdate()
    _check_date(on, earliest=carrier.recognised_on, field="revoked_on", label="撤销日期")
    carrier.status, carrier.revoked_on, carrier.revoked_reason = CarrierStatus.REVOKED, on, reason[:200]
    carrier.save()
    _record(carrier, actor, EventAction.REVOKE, CarrierStatus.RECOGNISED, note=reason, changes={"on": on})
    return carrier
