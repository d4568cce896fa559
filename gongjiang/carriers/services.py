"""Writes of training carriers: every step of the lifecycle is one service.

The steps are declared in ``workflows.py`` and taken through the one workflow mechanism
(``gongjiang.workflow.services.transition_take``): it locks the row, checks the actor's scope for
the step, the source status, the reason and self-review, moves and stamps the deadline, and writes
the history row and the audit entry in one transaction. What is particular to carriers (the
per-type rules in ``CarrierRule``, expert scores, levels, the 优秀 cap) is done here, in the
``apply`` of each step.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import OutOfScope, ensure_in_scope, scope
from gongjiang.accounts.services import model_changes
from gongjiang.core.validators import reason_clean
from gongjiang.talents.models import Person
from gongjiang.workflow.services import Effect, transition_take, workflow_record, workflow_start

from .choices import (
    ACTIVE_STATUSES,
    CITY_OR_ABOVE,
    LEVEL_RANK,
    AssessmentResult,
    CarrierLevel,
    CarrierStatus,
)
from .models import Carrier, CarrierAssessment, CarrierRule, ExpertScore, allowed_levels
from .selectors import carriers_in_assessment, rule_for
from .workflows import CARRIER_WORKFLOW

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


def _take(carrier: Carrier, actor: User, action: str, *, reason: str = "", files=(), apply=None) -> Carrier:
    """Take the declared step ``action`` on ``carrier`` (see workflows.py)."""
    return transition_take(
        workflow=CARRIER_WORKFLOW,
        obj=carrier,
        action=action,
        actor=actor,
        reason=reason,
        files=files,
        apply=apply,
    )


def _note(note: str) -> str:
    return reason_clean(note)


def _check_date(on: datetime.date, *, earliest: datetime.date | None, field: str, label: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: "%s不能晚于今天" % label})
    if earliest and on < earliest:
        raise ValidationError({field: "%s不能早于%s" % (label, earliest.isoformat())})


def _check_amount(amount: Decimal | None) -> None:
    if amount is not None and not (Decimal("0") <= amount <= MAX_GRANT):
        raise ValidationError({"grant_amount": "资助金额应在 0 至 10,000,000 元之间"})


def _level(carrier: Carrier) -> str:
    return carrier.level or carrier.applied_level


# --- the lifecycle ---------------------------------------------------------------------------


@transaction.atomic
def carrier_declare(*, actor: User, data: CarrierData, files=()) -> Carrier:
    """Declare a carrier (an organisation for itself, or the city admin on its behalf), with its
    supporting files; it goes straight to county review with the deadline the type's rules give."""
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
    carrier.status = CarrierStatus.COUNTY_REVIEW
    carrier.save()
    ensure_in_scope(carrier, actor, "add")
    workflow_start(
        workflow=CARRIER_WORKFLOW,
        obj=carrier,
        actor=actor,
        state=CarrierStatus.COUNTY_REVIEW,
        action="declare",
        label="申报",
        effect=Effect(changes={"host": data.host_id, "leader": leader.pk}, level=carrier.applied_level),
        files=files,
    )
    return carrier


@transaction.atomic
def carrier_update(*, actor: User, carrier: Carrier, data: CarrierData, files=()) -> Carrier:
    """Correct a declaration returned for 补正 (type and host stay as declared)."""
    carrier = Carrier.objects.select_for_update().get(pk=carrier.pk)
    if not scope(Carrier.objects.filter(pk=carrier.pk), actor, "change").exists():
        raise OutOfScope("该记录超出了您的数据范围，或您无权办理这一环节，操作未执行")
    if carrier.status != CarrierStatus.RETURNED:
        raise ValidationError("只有退回补正的申报可以修改（当前状态：%s）" % carrier.get_status_display())
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
    workflow_record(
        workflow=CARRIER_WORKFLOW,
        obj=carrier,
        actor=actor,
        action="update",
        label="修改申报材料",
        from_status=carrier.status,
        effect=Effect(changes={"fields": changes}, level=_level(carrier)),
        files=files,
    )
    return carrier


def carrier_resubmit(*, actor: User, carrier: Carrier, note: str = "", files=()) -> Carrier:
    """Send a corrected declaration back to the step that returned it (not to the start)."""

    def apply(locked: Carrier) -> Effect:
        leader = Person.objects.select_related("highest_level").get(pk=locked.leader_id)
        check_leader(carrier_type_id=locked.carrier_type_id, leader=leader)
        return Effect(note=_note(note), level=_level(locked))

    return _take(carrier, actor, "resubmit", files=files, apply=apply)


def carrier_county_pass(*, actor: User, carrier: Carrier, note: str = "", files=()) -> Carrier:
    """The county's first review passes the declaration on to the city."""
    return _take(
        carrier, actor, "county_pass", files=files, apply=lambda c: Effect(note=_note(note), level=_level(c))
    )


def carrier_return(*, actor: User, carrier: Carrier, note: str, files=()) -> Carrier:
    """Return a declaration for 补正, from county review (the county) or city review (the city);
    the host resubmits it straight to the step that returned it."""
    return _take(carrier, actor, "return", reason=note, files=files, apply=lambda c: Effect(level=_level(c)))


def carrier_reject(*, actor: User, carrier: Carrier, note: str, files=()) -> Carrier:
    """Refuse a declaration at county or city review (final)."""
    return _take(carrier, actor, "reject", reason=note, files=files, apply=lambda c: Effect(level=_level(c)))


@transaction.atomic
def carrier_score_add(*, actor: User, carrier: Carrier, expert_name: str, score: Decimal) -> ExpertScore:
    """Record one expert's score in the current round of city review."""
    made: list[ExpertScore] = []

    def apply(locked: Carrier) -> Effect:
        name = (expert_name or "").strip()
        if not name:
            raise ValidationError({"expert_name": "请填写专家姓名"})
        if ExpertScore.objects.filter(carrier=locked, round=locked.city_round, expert_name=name).exists():
            raise ValidationError({"expert_name": "专家“%s”在本轮评审中已经评过分" % name})
        entry = ExpertScore(
            carrier=locked, round=locked.city_round, expert_name=name, score=score, recorded_by=actor
        )
        entry.full_clean()
        entry.save()
        made.append(entry)
        return Effect(note="%s：%s分" % (name, score), level=_level(locked))

    _take(carrier, actor, "score", apply=apply)
    return made[0]


def score_mean(carrier: Carrier) -> Decimal | None:
    """The mean of the current round's expert scores (None before any score)."""
    scores = [s.score for s in ExpertScore.objects.filter(carrier=carrier, round=carrier.city_round)]
    if not scores:
        return None
    return (sum(scores) / len(scores)).quantize(Decimal("0.01"))


def carrier_recognise(
    *,
    actor: User,
    carrier: Carrier,
    level: str,
    on: datetime.date,
    grant_amount: Decimal | None = None,
    note: str = "",
    files=(),
) -> Carrier:
    """Recognise a carrier after city review with enough expert scores (the type's rules)."""

    def apply(locked: Carrier) -> Effect:
        rule = rule_for(locked.carrier_type_id)
        count = ExpertScore.objects.filter(carrier=locked, round=locked.city_round).count()
        if count < rule.min_expert_scores:
            raise ValidationError(
                "认定前须录入至少%(n)d位专家的评分（本轮已录入%(have)d位）"
                % {"n": rule.min_expert_scores, "have": count}
            )
        if level not in allowed_levels(locked.carrier_type):
            raise ValidationError(
                {"level": "%s不能认定为%s" % (locked.carrier_type.name, CarrierLevel(level).label)}
            )
        _check_date(
            on,
            earliest=timezone.localdate(locked.submitted_at) if locked.submitted_at else None,
            field="recognised_on",
            label="认定日期",
        )
        _check_amount(grant_amount)
        check_leader(
            carrier_type_id=locked.carrier_type_id,
            leader=Person.objects.select_related("highest_level").get(pk=locked.leader_id),
        )
        mean = score_mean(locked)
        locked.level, locked.recognised_on = level, on
        locked.first_recognised_on = locked.first_recognised_on or on
        if level in CITY_OR_ABOVE and locked.city_level_since is None:
            locked.city_level_since = on
        locked.grant_amount, locked.due_on, locked.step_started_on = grant_amount, None, on
        locked.full_clean(validate_constraints=False)
        return Effect(
            note=_note(note) or "专家评分均分 %s" % mean,
            amount=grant_amount,
            level=level,
            changes={"level": level, "on": on, "grant_amount": grant_amount, "mean_score": mean},
        )

    return _take(carrier, actor, "recognise", files=files, apply=apply)


@transaction.atomic
def carrier_assess(
    *, actor: User, carrier: Carrier, year: int, result: str, note: str = ""
) -> CarrierAssessment:
    """Record a recognised carrier's annual assessment. 优秀 is capped per type and year at the
    type's share (rules data) of the carriers that year's assessment covers, rounded down."""
    made: list[CarrierAssessment] = []

    def apply(locked: Carrier) -> Effect:
        if result not in AssessmentResult.values:
            raise ValidationError({"result": "请选择考核结果"})
        first_year = locked.first_recognised_on.year
        if not (first_year <= year <= timezone.localdate().year):
            raise ValidationError(
                {"year": "考核年度应在 %d 至 %d 年之间" % (first_year, timezone.localdate().year)}
            )
        if CarrierAssessment.objects.filter(carrier=locked, year=year).exists():
            raise ValidationError({"year": "该载体%d年度已经考核过" % year})
        if result == AssessmentResult.EXCELLENT:
            _check_excellent_cap(locked, year)
        assessment = CarrierAssessment.objects.create(
            carrier=locked, year=year, result=result, note=(note or "").strip()[:200], assessed_by=actor
        )
        made.append(assessment)
        label = "%d年度考核：%s" % (year, AssessmentResult(result).label)
        return Effect(
            note=label + ("；" + assessment.note if assessment.note else ""),
            level=_level(locked),
            changes={"year": year, "result": result},
        )

    _take(carrier, actor, "assess", apply=apply)
    return made[0]


def _check_excellent_cap(carrier: Carrier, year: int) -> None:
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


def carrier_upgrade(
    *,
    actor: User,
    carrier: Carrier,
    level: str,
    on: datetime.date,
    grant_amount: Decimal | None = None,
    note: str = "",
    files=(),
) -> Carrier:
    """Record a recognised carrier's recognition at a higher level (e.g. 市级 → 省级). The first
    recognition dates stay, so the carrier is counted toward the target once, not again."""

    def apply(locked: Carrier) -> Effect:
        if level not in allowed_levels(locked.carrier_type):
            raise ValidationError(
                {"level": "%s不能认定为%s" % (locked.carrier_type.name, CarrierLevel(level).label)}
            )
        if LEVEL_RANK[CarrierLevel(level)] <= LEVEL_RANK[CarrierLevel(locked.level)]:
            raise ValidationError({"level": "升级后的级别须高于现有级别（%s）" % locked.get_level_display()})
        _check_date(on, earliest=locked.recognised_on, field="recognised_on", label="升级认定日期")
        _check_amount(grant_amount)
        old = locked.get_level_display()
        locked.level, locked.recognised_on = level, on
        if level in CITY_OR_ABOVE and locked.city_level_since is None:
            locked.city_level_since = on  # a 县级 carrier becomes 市级: it is new at 市级 from today
        if grant_amount is not None:
            locked.grant_amount = grant_amount
        locked.full_clean(validate_constraints=False)
        text = "%s → %s" % (old, locked.get_level_display())
        return Effect(
            note=text + ("；" + _note(note) if _note(note) else ""),
            amount=grant_amount,
            level=level,
            changes={"level": level, "on": on, "grant_amount": grant_amount},
        )

    return _take(carrier, actor, "upgrade", files=files, apply=apply)


def carrier_revoke(
    *, actor: User, carrier: Carrier, reason: str, on: datetime.date | None = None, files=()
) -> Carrier:
    """Revoke a recognised carrier; its host may not declare the type again for the years the
    type's rules say, and it no longer counts toward the target."""

    def apply(locked: Carrier) -> Effect:
        day = on or timezone.localdate()
        _check_date(day, earliest=locked.recognised_on, field="revoked_on", label="撤销日期")
        locked.revoked_on, locked.revoked_reason = day, reason.strip()[:200]
        return Effect(level=_level(locked), changes={"on": day})

    return _take(carrier, actor, "revoke", reason=reason, files=files, apply=apply)
