"""Writes of training: catalogue entries (a provider edits only its own), subsidy claims and their
steps (approval grants each eligible line as a payable entitlement of the benefits app, which pays
it exactly once through its monthly batches), and enterprises' training records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import OutOfScope, scope
from gongjiang.accounts.services import audit_record
from gongjiang.benefits.choices import EntitlementStatus, PolicyMode
from gongjiang.benefits.models import BenefitPolicy, Entitlement, PolicyVersion
from gongjiang.benefits.services import bank_account_clean, budget_check
from gongjiang.core.crypto import digest, encrypt
from gongjiang.core.validators import mask_resident_id, normalise_resident_id
from gongjiang.talents.services import resident_id_digest
from gongjiang.workflow.services import Effect, transition_take, workflow_start

from .checks import Verdict, line_check
from .choices import SUBSIDY_POLICY_CODE, ClaimStatus, SubsidyKind
from .models import ClaimLine, Course, EnterpriseTraining, Schedule, SubsidyClaim, SubsidyRate
from .workflows import CLAIM_WORKFLOW

# --- the catalogue ------------------------------------------------------------------------------


def _in_scope(obj, actor: User, action: str) -> None:
    if not scope(type(obj)._default_manager.filter(pk=obj.pk), actor, action).exists():
        raise OutOfScope("该记录超出了您的数据范围，操作未执行")


@transaction.atomic
def catalogue_save(*, actor: User, obj, changed: list[str] | None = None):
    """Create or edit a provider, course, teacher or class. The row must be in the actor's scope
    before (an edit) and after (whatever it now belongs to): a provider edits only its own."""
    action = "change" if obj.pk else "add"
    if obj.pk:
        _in_scope(obj, actor, "change")
    elif not actor.has_perm("training.add_%s" % obj._meta.model_name):
        raise OutOfScope("您无权新增该记录")
    obj.full_clean()
    obj.save()
    _in_scope(obj, actor, "change")
    audit_record(
        actor=actor,
        action="training.%s.%s" % (obj._meta.model_name, action),
        obj=obj,
        changes={"fields": changed or []},
    )
    return obj


# --- subsidy claims ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trainee:
    name: str
    resident_id: str
    certificate_number: str


def _verdicts(
    claim_kind: str,
    course: Course,
    schedule: Schedule,
    rows: list[tuple[str, str, str]],
    year: int,
    exclude=None,
):
    verdicts: list[Verdict] = []
    for name, id_digest, number in rows:
        verdicts.append(
            line_check(
                kind=claim_kind,
                course=course,
                schedule=schedule,
                id_digest=id_digest,
                name=name,
                certificate_number=number,
                year=year,
                earlier=verdicts,
                exclude_claim=exclude,
            )
        )
    return verdicts


def _apply_verdict(line: ClaimLine, verdict: Verdict, course: Course) -> None:
    line.person = verdict.person
    line.certificate = verdict.certificate
    line.occupation_id, line.level_id = course.occupation_id, course.level_id
    line.eligible = verdict.eligible
    line.reasons = "\n".join(verdict.reasons)
    line.amount = verdict.amount if verdict.eligible else 0


@transaction.atomic
def claim_submit(
    *,
    actor: User,
    kind: str,
    schedule: Schedule,
    bank_name: str,
    account: str,
    trainees: list[Trainee],
    files=(),
) -> SubsidyClaim:
    """A provider (or an enterprise for its own training centre) claims for the trainees of one
    class who obtained the course's certificate. Each line is checked now (and again at approval);
    refused lines keep their reasons and are never paid. The claimant's county reviews it."""
    course = schedule.course
    if kind not in SubsidyKind.values:
        raise ValidationError({"kind": "请选择补贴种类"})
    if not scope(Course.objects.filter(pk=course.pk), actor, "change").exists() or not actor.has_perm(
        "training.add_subsidyclaim"
    ):
        raise OutOfScope("只能为本单位的课程申领培训补贴")
    if not course.leads_to_certificate:
        raise ValidationError("该课程不颁发证书，不能申领培训补贴")
    bank_name = (bank_name or "").strip()
    if not bank_name:
        raise ValidationError({"bank_name": "请填写开户银行"})
    number = bank_account_clean(account)
    if not trainees:
        raise ValidationError({"trainees": "请至少填写一名学员"})
    rows, masked, errors = [], [], []
    for index, trainee in enumerate(trainees, start=1):
        try:
            rid = normalise_resident_id(trainee.resident_id)
        except ValidationError:
            errors.append("第%d名学员的身份证号无效" % index)
            continue
        rows.append(
            (trainee.name.strip(), resident_id_digest(rid.number), trainee.certificate_number.strip())
        )
        masked.append(mask_resident_id(rid.number))
    if errors:
        raise ValidationError({"trainees": errors})
    now = timezone.now()
    claim = SubsidyClaim(
        kind=kind,
        claimant=course.provider.organisation,
        region_id=course.provider.organisation.region_id,
        course=course,
        schedule=schedule,
        status=ClaimStatus.COUNTY_REVIEW,
        bank_name=bank_name[:60],
        account_cipher=encrypt(number),
        account_digest=digest("bank-account:" + number),
        submitted_by=actor,
        submitted_at=now,
    )
    claim.save()
    verdicts = _verdicts(kind, course, schedule, rows, timezone.localdate().year)
    lines = []
    for row_no, ((name, id_digest, cert_no), shown, verdict) in enumerate(
        zip(rows, masked, verdicts, strict=False), start=1
    ):
        line = ClaimLine(
            claim=claim,
            row_no=row_no,
            name=name,
            id_digest=id_digest,
            id_masked=shown,
            certificate_number=cert_no,
        )
        _apply_verdict(line, verdict, course)
        lines.append(line)
    ClaimLine.objects.bulk_create(lines)
    eligible = [line for line in lines if line.eligible]
    workflow_start(
        workflow=CLAIM_WORKFLOW,
        obj=claim,
        actor=actor,
        state=ClaimStatus.COUNTY_REVIEW,
        action="submit",
        label="提交申领",
        effect=Effect(
            changes={
                "lines": len(lines),
                "eligible": len(eligible),
                "amount": str(sum(line.amount for line in eligible)),
            },
            amount=sum(line.amount for line in eligible),
        ),
        files=files,
    )
    return claim


def _recheck(claim: SubsidyClaim) -> None:
    """Run every line's checks again (others' claims may have been approved since)."""
    lines = list(claim.lines.order_by("row_no"))
    year = timezone.localtime(claim.submitted_at).year
    verdicts = _verdicts(
        claim.kind,
        claim.course,
        claim.schedule,
        [(line.name, line.id_digest, line.certificate_number) for line in lines],
        year,
        exclude=claim.pk,
    )
    for line, verdict in zip(lines, verdicts, strict=False):
        _apply_verdict(line, verdict, claim.course)
        line.save()


def subsidy_policy(kind: str) -> tuple[BenefitPolicy, PolicyVersion]:
    """The benefits policy a kind of training subsidy is paid under (made on first use): its
    amounts are decided per line by the subsidy table, the policy only carries the payments."""
    code = SUBSIDY_POLICY_CODE[SubsidyKind(kind)]
    label = SubsidyKind(kind).label
    policy, _ = BenefitPolicy.objects.get_or_create(
        code=code,
        defaults={"name": label, "department": "市人社局", "mode": PolicyMode.CLAIM, "demo": True},
    )
    version = policy.versions.order_by("-number").first()
    if version is None:
        levels = {}
        for rate in SubsidyRate.objects.filter(kind=kind, subsidy_class="A").order_by("level__rank"):
            levels[rate.level_id] = int(rate.amount)
        version = PolicyVersion.objects.create(
            policy=policy,
            number=1,
            rules={
                "code": code,
                "name": label,
                "basis": "按培训补贴标准逐人核定（演示：金额未核对已公布文本），经培训补贴申领审批后发放",
                "department": "市人社局",
                "mode": PolicyMode.CLAIM,
                "effective": ["2023-01-01", None],
                "levels": levels or {"GRADE5": 0},
                "certificate_types": ["qualification", "skill_level"],
            },
            effective_from=datetime.date(2023, 1, 1),
        )
    return policy, version


def _grant(claim: SubsidyClaim) -> Effect:
    """City approval: re-check the lines, then grant each eligible one as a payable entitlement
    (one instalment, paid to the claimant's account) that the benefits batches pay exactly once."""
    _recheck(claim)
    policy, version = subsidy_policy(claim.kind)
    today = timezone.localdate()
    total, granted = 0, 0
    for line in claim.lines.filter(eligible=True).order_by("row_no"):
        entitlement = Entitlement(
            policy=policy,
            version=version,
            person_id=line.person_id,
            level_id=line.level_id,
            occupation_id=line.occupation_id,
            amount=line.amount,
            instalments=1,
            status=EntitlementStatus.PAYABLE,
            granted_on=today,
            payable_on=today,
            bank_name=claim.bank_name,
            account_cipher=claim.account_cipher,
            account_digest=claim.account_digest,
            consent_at=claim.submitted_at,
            confirmed_by_id=claim.submitted_by_id,
        )
        budget_check(entitlement=entitlement, year=today.year)
        entitlement.save()
        line.entitlement = entitlement
        line.save(update_fields=["entitlement"])
        total += line.amount
        granted += 1
    if not granted:
        raise ValidationError("该申领没有符合条件的人员，不能批准；请不予通过")
    return Effect(changes={"granted": granted, "amount": str(total)}, amount=total)


def claim_step(*, actor: User, claim: SubsidyClaim, action: str, reason: str = "", files=()) -> SubsidyClaim:
    """County pass, city approval (grants the eligible lines), 退回补正, 不予通过, or the
    claimant's resubmission (the lines are checked again)."""
    if action not in CLAIM_WORKFLOW.transitions:
        raise ValidationError("未知的办理操作")

    def apply(locked: SubsidyClaim) -> Effect | None:
        if action == "approve":
            return _grant(locked)
        if action in ("county_pass", "resubmit"):
            _recheck(locked)
        return None

    return transition_take(
        workflow=CLAIM_WORKFLOW,
        obj=claim,
        action=action,
        actor=actor,
        reason=reason,
        files=files,
        apply=apply,
        lock=SubsidyClaim.objects.select_related("course", "schedule"),
    )


# --- enterprise training records ----------------------------------------------------------------


@transaction.atomic
def enterprise_training_save(*, actor: User, record: EnterpriseTraining) -> EnterpriseTraining:
    """An enterprise (or its county) records a year's training; one record per enterprise and year."""
    action = "change" if record.pk else "add"
    if record.pk:
        _in_scope(record, actor, "change")
    if (
        EnterpriseTraining.objects.filter(organisation_id=record.organisation_id, year=record.year)
        .exclude(pk=record.pk)
        .exists()
    ):
        raise ValidationError({"year": "该企业%d年的培训情况已填报，请修改原记录" % record.year})
    record.full_clean(validate_constraints=False)
    record.save()
    _in_scope(record, actor, "change")
    audit_record(
        actor=actor, action="training.enterprise.%s" % action, obj=record, changes={"year": record.year}
    )
    return record


@transaction.atomic
def teacher_save(*, actor: User, teacher, resident_id: str = ""):
    """Save a provider's teacher, linked to the talent registry when the ID number is given (the
    registry must hold it; the person is found by the keyed digest, never by the clear number)."""
    from gongjiang.talents.models import Person

    resident_id = (resident_id or "").strip()
    if resident_id:
        try:
            rid = normalise_resident_id(resident_id)
        except ValidationError:
            raise ValidationError({"resident_id": "身份证号无效"}) from None
        person = Person.objects.filter(id_digest=resident_id_digest(rid.number)).first()
        if person is None:
            raise ValidationError({"resident_id": "人才库中没有该身份证号的人员"})
        teacher.person = person
    return catalogue_save(actor=actor, obj=teacher)


@transaction.atomic
def chain_training_add(*, actor: User, record: EnterpriseTraining, member_uscc: str, staff_trained: int):
    """A 链主 (龙头, 专精特新) enterprise records another enterprise whose staff it trained that year."""
    from gongjiang.core.validators import normalise_uscc
    from gongjiang.orgs.models import Organisation

    from .models import ChainTraining

    _in_scope(record, actor, "change")
    leader = record.organisation
    if not (leader.is_chain_leader or leader.is_industry_leader or leader.is_specialised):
        raise ValidationError("只有链主企业、行业龙头或“专精特新”企业填报产业链职工培训")
    try:
        code = normalise_uscc(member_uscc)
    except ValidationError:
        raise ValidationError({"member_uscc": "统一社会信用代码无效"}) from None
    member = Organisation.objects.filter(uscc=code).first()
    if member is None:
        raise ValidationError({"member_uscc": "该企业尚未在“单位”中登记"})
    if member.pk == leader.pk:
        raise ValidationError({"member_uscc": "请填写本企业以外的链上企业"})
    chain, created = ChainTraining.objects.update_or_create(
        record=record, member=member, defaults={"staff_trained": staff_trained}
    )
    audit_record(
        actor=actor,
        action="training.chain.%s" % ("add" if created else "change"),
        obj=record,
        changes={"member": member.uscc, "staff_trained": staff_trained},
    )
    return chain


# --- sharing requests ---------------------------------------------------------------------------


@transaction.atomic
def sharing_submit(
    *, actor: User, provider, resource: str, course=None, teacher=None, needed_from, needed_to, note: str
):
    """An organisation asks a provider of the catalogue to share a facility, a teacher or a course.
    The provider must be published (the catalogue is what is offered), the course or teacher its own
    (a teacher only if marked shareable), and not the requester's own provider."""
    from .choices import ResourceKind, SharingStatus
    from .models import SharingRequest
    from .workflows import SHARING_WORKFLOW

    if not actor.has_perm("training.add_sharingrequest") or actor.organisation_id is None:
        raise OutOfScope("您无权提交共享申请")
    if not provider.published:
        raise ValidationError({"provider": "该机构未在培训资源目录中公开"})
    if provider.organisation_id == actor.organisation_id:
        raise ValidationError({"provider": "不能向本单位的机构申请共享"})
    if resource == ResourceKind.COURSE and (
        course is None or course.provider_id != provider.pk or not course.published
    ):
        raise ValidationError({"course": "请选择该机构已发布的课程"})
    if resource == ResourceKind.TEACHER and (
        teacher is None or teacher.provider_id != provider.pk or not teacher.shareable
    ):
        raise ValidationError({"teacher": "请选择该机构可共享的教师"})
    if needed_to < needed_from:
        raise ValidationError({"needed_to": "结束日期不能早于开始日期"})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写需求说明"})
    request = SharingRequest(
        requester_id=actor.organisation_id,
        provider=provider,
        resource=resource,
        course=course if resource == ResourceKind.COURSE else None,
        teacher=teacher if resource == ResourceKind.TEACHER else None,
        needed_from=needed_from,
        needed_to=needed_to,
        note=note[:2000],
        status=SharingStatus.PENDING,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    request.save()
    workflow_start(
        workflow=SHARING_WORKFLOW,
        obj=request,
        actor=actor,
        state=SharingStatus.PENDING,
        label="提交共享申请",
        effect=Effect(changes={"provider": provider.pk, "resource": resource}),
    )
    return request


def sharing_step(*, actor: User, request, action: str, reason: str = ""):
    """The provider's organisation accepts or declines (the workflow's ``reviewer_org``); the
    requesting organisation withdraws. Both organisations see the request (scope AnyOf)."""
    from .workflows import SHARING_WORKFLOW

    if action not in SHARING_WORKFLOW.transitions:
        raise ValidationError("未知的办理操作")
    if action == "withdraw" and actor.organisation_id != request.requester_id:
        raise OutOfScope("只有申请单位可以撤回该申请")
    return transition_take(workflow=SHARING_WORKFLOW, obj=request, action=action, actor=actor, reason=reason)
