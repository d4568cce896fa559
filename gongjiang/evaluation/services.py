"""Writes of skill evaluation: filings, batches and their candidates, appointments.

Every workflow step locks its row, refuses an illegal transition with a Chinese ValidationError
(changing nothing), audits, and checks the row is still in the actor's scope for the permission
the step needs, all in one transaction. Certificates are made by ``talents.services`` only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import ensure_in_scope
from gongjiang.accounts.services import audit_record, model_changes
from gongjiang.core.models import CertificateType, Occupation, SkillLevel
from gongjiang.core.validators import mask_resident_id, normalise_resident_id
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Organisation
from gongjiang.talents.choices import CertificateSource
from gongjiang.talents.counting import counts_on_q
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.services import certificate_create, certificate_revoke, resident_id_digest
from gongjiang.workflow.services import Effect, transition_take, workflow_start

from .choices import CERTIFICATE_LETTER, AppointmentStatus, BatchStatus, FilingStatus, InstitutionType
from .models import Appointment, AppointmentRule, Batch, Candidate, CertificateSerial, Filing
from .workflows import APPOINTMENT_WORKFLOW, BATCH_WORKFLOW, FILING_WORKFLOW

# Positions 2-7 of a certificate number: the ministry's institution code (0000 for institutions
# filed with a province, as all of ours are) and the province (32 = Jiangsu).
FILED_WITH_PROVINCE = "0000"
PROVINCE_CODE = "32"
SCHOOL_KINDS = (OrgKind.VOCATIONAL_SCHOOL, OrgKind.TECHNICAL_SCHOOL)
OPEN_FILING = (FilingStatus.SUBMITTED, FilingStatus.APPROVED, FilingStatus.SUSPENDED)


def _today() -> datetime.date:
    return timezone.localdate()


def _names(items: Iterable) -> str:
    return "、".join(item.name for item in items) or "无"


# ---------------------------------------------------------------------------------------------
# Filings


@dataclass
class FilingData:
    """What a form or an import row supplies for a filing."""

    organisation_id: int
    institution_type: str
    occupation_ids: list[str]
    level_ids: list[str]
    valid_from: datetime.date
    valid_to: datetime.date


def filing_levels():
    """The levels a filing may name: every rung but 学徒工."""
    return SkillLevel.objects.exclude(code="APPRENTICE")


def filing_rule_errors(
    *,
    org: Organisation,
    institution_type: str,
    occupations: list[Occupation],
    levels: list[SkillLevel],
    appointment_levels: set[str],
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
) -> dict[str, str]:
    """The rules of one filing on values already looked up, {field: reason}: shared by the form's
    service and the import, which has the lookups in memory."""
    errors: dict[str, str] = {}
    if org.kind == OrgKind.DEPARTMENT:
        errors["organisation"] = "政府部门不能备案为评价机构"
    if institution_type not in InstitutionType.values:
        errors["institution_type"] = "请选择机构类型"
    elif institution_type == InstitutionType.SCHOOL and org.kind not in SCHOOL_KINDS:
        errors["institution_type"] = "院校类评价机构须为职业学校或技工学校；“%s”登记的类别是%s" % (
            org.name,
            org.get_kind_display(),
        )
    if not occupations:
        errors["occupations"] = "请至少选择一个可评价职业（工种）"
    elif broad := [o for o in occupations if o.kind not in ("minor", "occupation")]:
        errors["occupations"] = "“%s”是职业大类或中类，请选择小类或具体职业" % _names(broad)
    if not levels:
        errors["levels"] = "请至少选择一个可评价等级"
    elif institution_type != InstitutionType.EMPLOYER:
        appointment = [lv for lv in levels if lv.code in appointment_levels]
        if appointment:
            errors["levels"] = "%s由企业自主评聘，只能由用人单位备案" % _names(appointment)
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = "有效期止不能早于有效期起"
    return errors


def filing_overlapping(
    *, organisation_id: int, institution_type: str, valid_from, valid_to, exclude_pk: int | None = None
) -> Filing | None:
    """An open filing of the same organisation and type whose period overlaps the given one."""
    return (
        Filing.objects.filter(
            organisation_id=organisation_id,
            institution_type=institution_type,
            status__in=OPEN_FILING,
            valid_from__lte=valid_to,
            valid_to__gte=valid_from,
        )
        .exclude(pk=exclude_pk)
        .order_by("valid_from")
        .first()
    )


def overlap_message(filing: Filing) -> str:
    return "该单位已有同类型、有效期重叠的备案（%s 至 %s，%s），请调整有效期或先撤销原备案" % (
        filing.valid_from,
        filing.valid_to,
        filing.get_status_display(),
    )


def _filing_check(data: FilingData, *, exclude_pk: int | None = None) -> None:
    """The rules of one filing, all errors at once, each at its field."""
    org = Organisation.objects.filter(pk=data.organisation_id).first()
    if org is None:
        raise ValidationError({"organisation": "该单位尚未登记"})
    occupations = list(Occupation.objects.filter(code__in=data.occupation_ids))
    levels = list(filing_levels().filter(code__in=data.level_ids))
    if len(occupations) != len(set(data.occupation_ids)) or len(levels) != len(set(data.level_ids)):
        raise ValidationError("有未知的职业或不能备案的等级（学徒工不通过评价机构认定）")
    errors = filing_rule_errors(
        org=org,
        institution_type=data.institution_type,
        occupations=occupations,
        levels=levels,
        appointment_levels=set(AppointmentRule.objects.values_list("level_id", flat=True)),
        valid_from=data.valid_from,
        valid_to=data.valid_to,
    )
    if not errors:
        overlapping = filing_overlapping(
            organisation_id=data.organisation_id,
            institution_type=data.institution_type,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            exclude_pk=exclude_pk,
        )
        if overlapping:
            errors["valid_from"] = overlap_message(overlapping)
    if errors:
        raise ValidationError(errors)


def _filing_snapshot(filing: Filing) -> dict:
    return {
        "organisation": filing.organisation_id,
        "institution_type": filing.institution_type,
        "occupations": sorted(filing.occupations.values_list("code", flat=True)),
        "levels": sorted(filing.levels.values_list("code", flat=True)),
        "valid_from": filing.valid_from,
        "valid_to": filing.valid_to,
        "status": filing.status,
    }


@transaction.atomic
def filing_create(*, actor: User, data: FilingData) -> Filing:
    """File an organisation as an evaluation institution; it waits for the city's approval."""
    _filing_check(data)
    filing = Filing(
        organisation_id=data.organisation_id,
        institution_type=data.institution_type,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        status=FilingStatus.SUBMITTED,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    filing.full_clean()
    filing.save()
    filing.occupations.set(data.occupation_ids)
    filing.levels.set(data.level_ids)
    ensure_in_scope(filing, actor, "add")
    workflow_start(
        workflow=FILING_WORKFLOW,
        obj=filing,
        actor=actor,
        state=FilingStatus.SUBMITTED,
        action="create",
        label="提交备案",
        effect=Effect(changes=_filing_snapshot(filing)),
    )
    return filing


def filing_update(*, actor: User, filing: Filing, data: FilingData) -> Filing:
    """Change a filing still waiting for approval, or correct a returned one; either way it goes
    (back) to the city for approval. The organisation of a filing never changes."""

    def apply(locked: Filing) -> Effect:
        data.organisation_id = locked.organisation_id
        _filing_check(data, exclude_pk=locked.pk)
        before = _filing_snapshot(locked)
        locked.institution_type = data.institution_type
        locked.valid_from, locked.valid_to = data.valid_from, data.valid_to
        locked.submitted_by, locked.submitted_at = actor, timezone.now()
        locked.full_clean()
        locked.occupations.set(data.occupation_ids)
        locked.levels.set(data.level_ids)
        after = _filing_snapshot(locked)
        before.pop("status"), after.pop("status")  # the move itself is in the audit's "status"
        return Effect(changes={"fields": model_changes(before, after)})

    return transition_take(workflow=FILING_WORKFLOW, obj=filing, action="update", actor=actor, apply=apply)


# The city's decisions on a filing (the institution's own step, "update", is filing_update).
FILING_DECISIONS = ("approve", "reject", "suspend", "resume", "withdraw")


def filing_transition(*, actor: User, filing: Filing, action: str, reason: str = "") -> Filing:
    """Approve, reject (退回), suspend, resume or withdraw a filing, by the city (the declared
    transitions in workflows.py). The approver is never the one who filed it."""
    if action not in FILING_DECISIONS:
        raise ValidationError("未知的办理操作")

    def apply(locked: Filing) -> None:
        locked.decided_by, locked.decided_at = actor, timezone.now()

    return transition_take(
        workflow=FILING_WORKFLOW, obj=filing, action=action, actor=actor, reason=reason, apply=apply
    )


def _occupation_lineage(code: str) -> set[str]:
    """An occupation code and the codes of the groups above it (6-18-02-01 → 6-18-02, 6-18, 6)."""
    parts = code.split("-")
    return {"-".join(parts[:i]) for i in range(1, len(parts) + 1)}


def filing_covering(
    *,
    organisation_id: int,
    occupation: Occupation,
    level: SkillLevel,
    on: datetime.date,
    institution_types: Iterable[str] = InstitutionType.values,
) -> Filing:
    """The organisation's filing in force on ``on`` that covers ``occupation`` (itself or a group
    above it) and ``level``; otherwise a ValidationError that says what is missing."""
    institution_types = list(institution_types)
    filings = list(
        Filing.objects.filter(
            organisation_id=organisation_id,
            status=FilingStatus.APPROVED,
            valid_from__lte=on,
            valid_to__gte=on,
            institution_type__in=institution_types,
        ).prefetch_related("occupations", "levels")
    )
    if not filings:
        suspended = Filing.objects.filter(
            organisation_id=organisation_id,
            status=FilingStatus.SUSPENDED,
            institution_type__in=institution_types,
        ).exists()
        if suspended:
            raise ValidationError("本单位的评价机构备案已被暂停，暂停期间不能开展认定")
        kinds = "、".join(InstitutionType(t).label for t in institution_types)
        raise ValidationError("本单位在%s没有有效的评价机构备案（%s），不能开展认定" % (on, kinds))
    lineage = _occupation_lineage(occupation.code)
    for filing in filings:
        codes = {o.code for o in filing.occupations.all()}
        if lineage & codes and level in filing.levels.all():
            return filing
    errors = {}
    if not any(lineage & {o.code for o in f.occupations.all()} for f in filings):
        scope = "、".join(sorted({o.name for f in filings for o in f.occupations.all()}))
        errors["occupation"] = "职业“%s”不在本机构备案的评价范围内（备案职业：%s）" % (occupation.name, scope)
    if not any(level in f.levels.all() for f in filings):
        scope = "、".join(
            lv.name for lv in sorted({lv for f in filings for lv in f.levels.all()}, key=lambda x: x.rank)
        )
        errors["level"] = "等级“%s”不在本机构备案的评价范围内（备案等级：%s）" % (level.name, scope)
    if not errors:
        errors["level"] = "本机构没有一份备案同时包含职业“%s”和等级“%s”" % (occupation.name, level.name)
    raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# Certificate numbers


def certificate_number_prefix(*, letter: str, organisation_id: int, year: int, level_code: str) -> str:
    """The first 16 characters of a certificate number (national rule for 职业技能等级证书):
    1 institution kind (Y employer, S social), 2-5 ministry code, 6-7 province, 8-13 the
    institution's sequence (our organisation id), 14-15 year, 16 the level (certificate_digit;
    for appointments the rule's code). Positions 17-22 are the serial."""
    return f"{letter}{FILED_WITH_PROVINCE}{PROVINCE_CODE}{organisation_id:06d}{year % 100:02d}{level_code}"


def certificate_numbers_allocate(*, prefix: str, count: int) -> list[str]:
    """``count`` consecutive unused serials under ``prefix``. The counter row is locked until the
    caller's transaction ends, so two publications never take the same number; if the caller
    rolls back, the serials are given back with it."""
    CertificateSerial.objects.bulk_create([CertificateSerial(prefix=prefix)], ignore_conflicts=True)
    serial = CertificateSerial.objects.select_for_update().get(prefix=prefix)
    first = serial.last + 1
    if serial.last + count > 999_999:
        raise ValidationError("证书编号 %s 的序号已用尽，请联系市级管理员" % prefix)
    serial.last += count
    serial.save(update_fields=["last"])
    return [f"{prefix}{n:06d}" for n in range(first, first + count)]


def _issue(*, actor: User, person: Person, number: str, holder: str, **fields) -> Certificate:
    """One certificate through the talent database's own service; a refusal names the holder."""
    try:
        return certificate_create(actor=actor, person=person, number=number, **fields)
    except ValidationError as exc:
        raise ValidationError(
            "为“%s”发证失败（证书编号 %s）：%s。本次没有写入任何证书"
            % (holder, number, "；".join(exc.messages))
        ) from exc


# ---------------------------------------------------------------------------------------------
# Batches and candidates


@dataclass
class BatchData:
    name: str
    occupation_id: str
    level_id: str
    exam_date: datetime.date


def batch_levels():
    """The levels a batch may evaluate: those of the 职业技能等级证书 (data in core)."""
    return CertificateType.objects.get(code="skill_level").levels_allowed.order_by("rank")


def _batch_filing(*, actor: User, data: BatchData) -> Filing:
    if not actor.organisation_id:
        raise ValidationError("只有评价机构的单位用户可以制定认定计划")
    level = SkillLevel.objects.get(pk=data.level_id)
    if not batch_levels().filter(pk=level.pk).exists():
        raise ValidationError(
            {"level": "认定批次只评价%s；%s通过企业评聘产生" % (_names(batch_levels()), level.name)}
        )
    occupation = Occupation.objects.get(pk=data.occupation_id)
    return filing_covering(
        organisation_id=actor.organisation_id, occupation=occupation, level=level, on=data.exam_date
    )


@transaction.atomic
def batch_create(*, actor: User, data: BatchData) -> Batch:
    """Plan a batch for an occupation and level within the actor's organisation's filing in force
    on the exam date; anything outside the filing is refused."""
    filing = _batch_filing(actor=actor, data=data)
    batch = Batch(
        filing=filing,
        name=data.name.strip(),
        occupation_id=data.occupation_id,
        level_id=data.level_id,
        exam_date=data.exam_date,
        planned_by=actor,
    )
    batch.full_clean()
    batch.save()
    ensure_in_scope(batch, actor, "add")
    workflow_start(
        workflow=BATCH_WORKFLOW,
        obj=batch,
        actor=actor,
        state=BatchStatus.PLANNED,
        action="create",
        label="制定认定计划",
        effect=Effect(
            changes={
                "filing": filing.pk,
                "occupation": data.occupation_id,
                "level": data.level_id,
                "exam_date": data.exam_date,
            }
        ),
    )
    return batch


@transaction.atomic
def batch_update(*, actor: User, batch: Batch, data: BatchData) -> Batch:
    """Change a planned batch (name, occupation, level, exam date), still within the filing."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    ensure_in_scope(batch, actor, "change")
    if batch.status != BatchStatus.PLANNED:
        raise ValidationError("只有计划中的批次可以修改（当前状态：%s）" % batch.get_status_display())
    filing = _batch_filing(actor=actor, data=data)
    before = {
        "name": batch.name,
        "occupation": batch.occupation_id,
        "level": batch.level_id,
        "exam_date": batch.exam_date,
    }
    batch.filing, batch.name = filing, data.name.strip()
    batch.occupation_id, batch.level_id, batch.exam_date = data.occupation_id, data.level_id, data.exam_date
    after = {
        "name": batch.name,
        "occupation": batch.occupation_id,
        "level": batch.level_id,
        "exam_date": batch.exam_date,
    }
    batch.full_clean()
    batch.save()
    audit_record(actor=actor, action="batch.update", obj=batch, changes=model_changes(before, after))
    return batch


def person_by_id_number(id_number: str) -> Person:
    """The person registered in the talent database under a full ID number (exact digest lookup).
    Institutions evaluate people who are not their staff: they know the number from the
    candidate's application and see only the name and the masked number back."""
    rid = normalise_resident_id(id_number)
    person = Person.objects.filter(id_digest=resident_id_digest(rid.number)).first()
    if person is None:
        raise ValidationError(
            {"id_number": "人才库中没有身份证号为 %s 的人员，请先登记人员" % mask_resident_id(rid.number)}
        )
    return person


def candidate_refusal(batch: Batch, person: Person) -> str:
    """Why ``person`` may not sit ``batch`` ("" when they may)."""
    filing = batch.filing
    if filing.institution_type == InstitutionType.EMPLOYER and person.employer_id != filing.organisation_id:
        return "用人单位评价只面向本单位职工：该人员在人才库登记的工作单位不是本单位"
    return ""


@transaction.atomic
def candidate_add(*, actor: User, batch: Batch, id_number: str) -> Candidate:
    """Put a person from the talent database on a planned batch, by full ID number."""
    batch = Batch.objects.select_for_update(of=("self",)).select_related("filing").get(pk=batch.pk)
    ensure_in_scope(batch, actor, "change")
    if batch.status != BatchStatus.PLANNED:
        raise ValidationError("只有计划中的批次可以添加考生（当前状态：%s）" % batch.get_status_display())
    try:
        person = person_by_id_number(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    refusal = candidate_refusal(batch, person)
    if refusal:
        raise ValidationError({"id_number": refusal})
    if batch.candidates.filter(person=person).exists():
        raise ValidationError({"id_number": "%s 已在本批次考生名单中" % person.name})
    candidate = Candidate.objects.create(batch=batch, person=person)
    audit_record(
        actor=actor,
        action="candidate.add",
        obj=candidate,
        changes={"batch": batch.pk, "person": person.pk, "id_number": person.id_masked},
    )
    return candidate


@transaction.atomic
def candidate_remove(*, actor: User, candidate: Candidate) -> None:
    """Take a candidate off a batch that is still being planned."""
    batch = Batch.objects.select_for_update().get(pk=candidate.batch_id)
    ensure_in_scope(batch, actor, "change")
    if batch.status != BatchStatus.PLANNED:
        raise ValidationError("只有计划中的批次可以移除考生（当前状态：%s）" % batch.get_status_display())
    audit_record(
        actor=actor,
        action="candidate.remove",
        obj=candidate,
        changes={"batch": batch.pk, "person": candidate.person_id},
    )
    candidate.delete()


def score_check(score: Decimal | None) -> Decimal | None:
    if score is not None and not (Decimal(0) <= score <= Decimal(100)):
        raise ValidationError("成绩应在0到100之间")
    return score


@transaction.atomic
def batch_results_record(
    *, actor: User, batch: Batch, results: dict[int, tuple[bool | None, Decimal | None]]
) -> int:
    """Record pass/fail and score per candidate (by candidate id) for a batch whose exam has taken
    place and whose results are not yet with the city. Returns how many candidates changed."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    ensure_in_scope(batch, actor, "change")
    if batch.status not in (BatchStatus.PLANNED, BatchStatus.RETURNED):
        raise ValidationError(
            "只有计划中或退回补正的批次可以录入结果（当前状态：%s）" % batch.get_status_display()
        )
    if batch.exam_date > _today():
        raise ValidationError("考核日期（%s）还没到，不能录入结果" % batch.exam_date)
    candidates = {c.pk: c for c in batch.candidates.filter(pk__in=list(results))}
    if unknown := set(results) - set(candidates):
        raise ValidationError("有%d名考生不属于本批次" % len(unknown))
    changed = []
    for pk, (passed, score) in results.items():
        candidate = candidates[pk]
        score = score_check(score)
        if (candidate.passed, candidate.score) != (passed, score):
            candidate.passed, candidate.score = passed, score
            changed.append(candidate)
    Candidate.objects.bulk_update(changed, ["passed", "score"])
    audit_record(
        actor=actor,
        action="batch.results",
        obj=batch,
        changes={
            "changed": len(changed),
            "passed": sum(1 for c in changed if c.passed),
            "failed": sum(1 for c in changed if c.passed is False),
        },
    )
    return len(changed)


def batch_transition(*, actor: User, batch: Batch, action: str, reason: str = "") -> Batch:
    """Report results (the institution), return them for correction or publish them (the city),
    or cancel a planned batch (the institution): the declared transitions in workflows.py."""

    def apply(locked: Batch) -> Effect:
        changes: dict = {}
        if action == "report":
            _check_reportable(locked)
            locked.reported_at = timezone.now()
        elif action == "return":
            locked.reviewed_by = actor
        elif action == "publish":
            changes["certificates"] = _publish(actor=actor, batch=locked)
            locked.reviewed_by, locked.published_at = actor, timezone.now()
        return Effect(changes=changes)

    return transition_take(
        workflow=BATCH_WORKFLOW,
        obj=batch,
        action=action,
        actor=actor,
        reason=reason,
        apply=apply,
        lock=Batch.objects.select_related("filing__organisation", "occupation", "level"),
    )


def _check_reportable(batch: Batch) -> None:
    if batch.exam_date > _today():
        raise ValidationError("考核日期（%s）还没到，不能上报结果" % batch.exam_date)
    total = batch.candidates.count()
    if not total:
        raise ValidationError("本批次还没有考生，不能上报结果")
    missing = batch.candidates.filter(passed__isnull=True).count()
    if missing:
        raise ValidationError("还有%d名考生没有录入考核结果，不能上报" % missing)


def _publish(*, actor: User, batch: Batch) -> int:
    """Turn every pass of ``batch`` into a 职业技能等级证书 issued by the institution today (inside
    the caller's transaction: one refusal and nothing of the publication is written)."""
    # Locked too, so the filing cannot be suspended or withdrawn while its certificates are issued.
    filing = (
        Filing.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=batch.filing_id)
    )
    if filing.status != FilingStatus.APPROVED:
        raise ValidationError("评价机构备案%s，不能公布发证" % filing.get_status_display())
    if not filing.valid_from <= batch.exam_date <= filing.valid_to:
        raise ValidationError("考核日期不在评价机构备案有效期内，不能公布发证")
    passes = list(batch.candidates.filter(passed=True).select_related("person").order_by("id"))
    if not passes:
        return 0
    today = _today()
    prefix = certificate_number_prefix(
        letter=CERTIFICATE_LETTER[filing.institution_type],
        organisation_id=filing.organisation_id,
        year=today.year,
        level_code=batch.level.certificate_digit,
    )
    numbers = certificate_numbers_allocate(prefix=prefix, count=len(passes))
    for candidate, number in zip(passes, numbers, strict=True):
        candidate.certificate = _issue(
            actor=actor,
            person=candidate.person,
            holder=candidate.person.name,
            number=number,
            cert_type_id="skill_level",
            level_id=batch.level_id,
            occupation_id=batch.occupation_id,
            occupation_name=batch.occupation.name,
            issuer=filing.organisation.name,
            issue_date=today,
            source=CertificateSource.EVALUATION,
        )
    Candidate.objects.bulk_update(passes, ["certificate"])
    return len(passes)


# ---------------------------------------------------------------------------------------------
# Appointments (评聘)


@dataclass
class AppointmentData:
    id_number: str
    level_id: str
    occupation_id: str
    appointed_on: datetime.date
    term_end: datetime.date | None = None


def prerequisite_refusal(person: Person, rule: AppointmentRule, *, on: datetime.date) -> str:
    """Why ``person`` does not meet ``rule`` on ``on`` ("" when they do): a valid certificate at
    the rule's prerequisite level or above."""
    held = Certificate.objects.filter(counts_on_q(on), person=person, level__rank__gte=rule.prerequisite.rank)
    if held.exists():
        return ""
    top = person.highest_level.name if person.highest_level_id else "无"
    return "聘任%s须持有有效的%s（或更高等级）证书；%s目前最高有效等级为%s" % (
        rule.level.name,
        rule.prerequisite.name,
        person.name,
        top,
    )


def _appointment_rule(level_id: str) -> AppointmentRule:
    rule = AppointmentRule.objects.select_related("level", "prerequisite").filter(level_id=level_id).first()
    if rule is None:
        raise ValidationError({"level": "该等级不通过评聘产生"})
    return rule


@transaction.atomic
def appointment_create(*, actor: User, data: AppointmentData) -> Appointment:
    """An enterprise appoints one of its staff as 特级技师 or 首席技师 under its employer filing;
    the prerequisite level is the rule's (data, not code). The city then records it (备案)."""
    if not actor.organisation_id:
        raise ValidationError("只有聘任单位的单位用户可以提交评聘")
    errors: dict[str, str] = {}
    rule = _appointment_rule(data.level_id)
    if data.appointed_on > _today():
        errors["appointed_on"] = "聘任日期不能晚于今天"
    if data.term_end and data.term_end <= data.appointed_on:
        errors["term_end"] = "聘期结束日期须晚于聘任日期"
    if errors:
        raise ValidationError(errors)
    person = person_by_id_number(data.id_number)
    if person.employer_id != actor.organisation_id:
        raise ValidationError({"id_number": "只能聘任本单位职工：该人员在人才库登记的工作单位不是本单位"})
    occupation = Occupation.objects.get(pk=data.occupation_id)
    filing = filing_covering(
        organisation_id=actor.organisation_id,
        occupation=occupation,
        level=rule.level,
        on=data.appointed_on,
        institution_types=[InstitutionType.EMPLOYER],
    )
    refusal = prerequisite_refusal(person, rule, on=data.appointed_on)
    if refusal:
        raise ValidationError({"id_number": refusal})
    if Appointment.objects.filter(
        person=person,
        level=rule.level,
        status__in=[AppointmentStatus.SUBMITTED, AppointmentStatus.CONFIRMED],
    ).exists():
        raise ValidationError({"level": "%s已有待备案或已备案的%s聘任" % (person.name, rule.level.name)})
    appointment = Appointment(
        organisation_id=actor.organisation_id,
        filing=filing,
        person=person,
        level=rule.level,
        occupation=occupation,
        appointed_on=data.appointed_on,
        term_end=data.term_end,
        submitted_by=actor,
    )
    appointment.full_clean()
    appointment.save()
    ensure_in_scope(appointment, actor, "add")
    workflow_start(
        workflow=APPOINTMENT_WORKFLOW,
        obj=appointment,
        actor=actor,
        state=AppointmentStatus.SUBMITTED,
        action="create",
        label="提交评聘",
        effect=Effect(
            changes={
                "person": person.pk,
                "level": rule.level_id,
                "occupation": occupation.pk,
                "appointed_on": data.appointed_on,
                "term_end": data.term_end,
            }
        ),
    )
    return appointment


def appointment_transition(
    *, actor: User, appointment: Appointment, action: str, reason: str = ""
) -> Appointment:
    """Record (备案) an appointment, which issues its certificate; return it; or end it (解聘),
    which revokes the certificate: the declared transitions in workflows.py."""

    def apply(locked: Appointment) -> Effect:
        changes: dict = {}
        if action == "confirm":
            locked.certificate = _appointment_certificate(actor=actor, appointment=locked)
            changes["certificate"] = locked.certificate.number
            locked.decided_by, locked.decided_at = actor, timezone.now()
        elif action == "return":
            locked.decided_by, locked.decided_at = actor, timezone.now()
        elif action == "end":
            certificate_revoke(
                actor=actor, certificate=locked.certificate, reason="解聘：%s" % locked.status_reason
            )
        return Effect(changes=changes)

    return transition_take(
        workflow=APPOINTMENT_WORKFLOW,
        obj=appointment,
        action=action,
        actor=actor,
        reason=reason,
        apply=apply,
        lock=Appointment.objects.select_related("organisation", "person", "level", "occupation", "filing"),
    )


def _appointment_certificate(*, actor: User, appointment: Appointment) -> Certificate:
    rule = _appointment_rule(appointment.level_id)
    today = _today()
    refusal = prerequisite_refusal(appointment.person, rule, on=today)
    if refusal:
        raise ValidationError(refusal)
    if appointment.term_end and appointment.term_end < today:
        raise ValidationError("聘期已于%s结束，不能备案" % appointment.term_end)
    filing = appointment.filing
    if filing.status != FilingStatus.APPROVED:
        raise ValidationError("聘任单位的评价机构备案%s，不能备案评聘" % filing.get_status_display())
    prefix = certificate_number_prefix(
        letter=CERTIFICATE_LETTER[InstitutionType.EMPLOYER],
        organisation_id=appointment.organisation_id,
        year=appointment.appointed_on.year,
        level_code=rule.certificate_code,
    )
    (number,) = certificate_numbers_allocate(prefix=prefix, count=1)
    return _issue(
        actor=actor,
        person=appointment.person,
        holder=appointment.person.name,
        number=number,
        cert_type_id="appointment",
        level_id=appointment.level_id,
        occupation_id=appointment.occupation_id,
        occupation_name=appointment.occupation.name,
        issuer=appointment.organisation.name,
        issue_date=appointment.appointed_on,
        valid_until=appointment.term_end,
        source=CertificateSource.EVALUATION,
    )
