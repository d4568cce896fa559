"""Writes of benefits: loading policies (a file, or the city's form), each change a new version."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.services import audit_record
from gongjiang.core.crypto import digest, encrypt
from gongjiang.core.models import CertificateType, Domain, Region, SkillLevel
from gongjiang.workflow.models import step_days
from gongjiang.workflow.services import Effect, notify_each, transition_take, workflow_start

from .choices import LIVE_ENTITLEMENT as LIVE
from .choices import ApplicationStatus, EntitlementStatus, PaymentStatus
from .models import (
    BenefitApplication,
    BenefitPolicy,
    Entitlement,
    PaymentBatch,
    PaymentLine,
    PolicyBudget,
    PolicyVersion,
)
from .spec import Known, PolicySpec, specs_from_text
from .workflows import APPLICATION_WORKFLOW, ENTITLEMENT_WORKFLOW


def known_codes() -> Known:
    """The reference codes a policy file may name."""
    return Known(
        levels=frozenset(SkillLevel.objects.values_list("code", flat=True)),
        certificate_types=frozenset(CertificateType.objects.values_list("code", flat=True)),
        regions=frozenset(Region.objects.values_list("code", flat=True)),
        domains=frozenset(Domain.objects.values_list("code", flat=True)),
    )


@dataclass
class LoadResult:
    created: list[str]
    new_versions: list[str]
    unchanged: list[str]
    budgets_changed: list[str]

    def as_json(self) -> dict:
        return {
            "created": self.created,
            "new_versions": self.new_versions,
            "unchanged": self.unchanged,
            "budgets_changed": self.budgets_changed,
        }


def policy_save(*, actor: User | None, spec: PolicySpec) -> str:
    """Create the policy, or add a version when its rules changed; budgets follow the spec.
    Returns "created", "new_version", "budget" or "unchanged"."""
    policy, created = BenefitPolicy.objects.select_for_update().get_or_create(
        code=spec.code,
        defaults={"name": spec.name, "department": spec.department, "mode": spec.mode, "demo": spec.demo},
    )
    latest = policy.versions.order_by("-number").first()
    outcome = "unchanged"
    rules = spec.as_json()
    rules.pop("budget")
    if latest is None or spec.rules_json() != _rules_key(latest.rules):
        PolicyVersion.objects.create(
            policy=policy,
            number=(latest.number + 1) if latest else 1,
            rules=rules,
            effective_from=spec.effective.start,
            effective_to=spec.effective.end,
            created_by=actor if actor is not None and actor.pk else None,
        )
        outcome = "created" if created else "new_version"
    fields = {"name": spec.name, "department": spec.department, "mode": spec.mode, "demo": spec.demo}
    if any(getattr(policy, k) != v for k, v in fields.items()):
        BenefitPolicy.objects.filter(pk=policy.pk).update(**fields)
    current = {b.year: b.amount for b in policy.budgets.all()}
    if current != spec.budget:
        policy.budgets.exclude(year__in=list(spec.budget)).delete()
        for year, amount in spec.budget.items():
            PolicyBudget.objects.update_or_create(policy=policy, year=year, defaults={"amount": amount})
        outcome = "budget" if outcome == "unchanged" else outcome
    if outcome != "unchanged":
        audit_record(
            actor=actor,
            action="policy.%s" % outcome,
            obj=policy,
            changes={"rules": rules, "budget": {str(k): str(v) for k, v in spec.budget.items()}},
        )
    return outcome


def _rules_key(rules: dict) -> str:
    import json

    data = dict(rules)
    data.pop("demo", None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


@transaction.atomic
def policies_load(*, actor: User | None, text: str) -> LoadResult:
    """Load a policy file whole: every policy checked first (SpecError, nothing written), then each
    created, versioned or left as it is. Loading the same file twice changes nothing."""
    specs = specs_from_text(text, known=known_codes())
    result = LoadResult([], [], [], [])
    for spec in specs:
        outcome = policy_save(actor=actor, spec=spec)
        {
            "created": result.created,
            "new_version": result.new_versions,
            "unchanged": result.unchanged,
            "budget": result.budgets_changed,
        }[outcome].append(spec.code)
    if result.created or result.new_versions:
        transaction.on_commit(entitlements_request_grant)  # a new rule: make its offers
    return result


@transaction.atomic
def entitlements_grant(
    *, on: datetime.date, actor: User | None = None, code: str | None = None, persons: str = ""
) -> dict[str, int]:
    """免申即享: offer every automatic policy in force on ``on`` to everyone who qualifies and has no
    standing entitlement of it yet (set-based, one statement per policy). Application policies are
    granted only on an approved application. ``persons`` (an SQL subquery of person ids, built by
    the caller from constants) limits the run to them. Returns {policy code: offers made}; audited
    once."""
    from django.db import connection

    from .choices import PolicyMode
    from .engine import grant_sql, version_in_force
    from .selectors import version_spec

    made: dict[str, int] = {}
    policies = BenefitPolicy.objects.filter(mode=PolicyMode.AUTOMATIC).prefetch_related("versions", "budgets")
    if code:
        policies = policies.filter(code=code)
    for policy in policies.order_by("code"):
        version = version_in_force(list(policy.versions.all()), on)
        if version is None:
            continue
        spec = version_spec(version, policy=policy)
        days = step_days("entitlement", EntitlementStatus.OFFERED)
        due_on = on + datetime.timedelta(days=days) if days else None
        sql, params = grant_sql(
            policy_id=policy.pk, version_id=version.pk, spec=spec, on=on, due_on=due_on, persons=persons
        )
        before = (
            Entitlement.objects.filter(policy=policy).order_by("-pk").values_list("pk", flat=True).first()
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            made[policy.code] = cursor.rowcount
        if made[policy.code]:
            _offers_notify(policy, after=before or 0)
    audit_record(
        actor=actor,
        action="entitlement.grant",
        object_type="benefits.entitlement",
        changes={"on": on, "offers": made},
    )
    return made


def _offers_notify(policy: BenefitPolicy, *, after: int) -> None:
    """Tell each talent with an account about the offers just made to them (ids above ``after``)."""
    from django.urls import reverse

    offers = Entitlement.objects.filter(policy=policy, pk__gt=after, person__user__isnull=False)
    text = "您符合“%s”，待遇待您确认（请核对并填写收款账户）" % policy.name
    notify_each(
        (user_id, text, reverse("benefits:entitlement_detail", args=[pk]))
        for pk, user_id in offers.values_list("pk", "person__user").iterator()
    )


# --- the offer's steps (workflows.py) ----------------------------------------------------------

BANK_ACCOUNT = re.compile(r"^\d{12,30}$")


def bank_account_clean(raw: str) -> str:
    """A bank account number: 12 to 30 digits once spaces and dashes are removed."""
    number = re.sub(r"[\s-]", "", raw or "")
    if not BANK_ACCOUNT.match(number):
        raise ValidationError({"account": "银行账号应为12至30位数字（可含空格）"})
    return number


def entitlement_confirm(
    *, actor: User, entitlement: Entitlement, bank_name: str, account: str, consent: bool, files=()
) -> Entitlement:
    """The talent (or the employer for its staff) gives the bank account and consents; the offer
    goes to the county for verification. The account is stored SM4-encrypted with a keyed digest."""
    if not consent:
        raise ValidationError({"consent": "请阅读并同意发放须知"})
    bank_name = (bank_name or "").strip()
    if not bank_name:
        raise ValidationError({"bank_name": "请填写开户银行"})
    number = bank_account_clean(account)

    def apply(locked: Entitlement) -> Effect:
        locked.bank_name, locked.account_cipher = bank_name[:60], encrypt(number)
        locked.account_digest = digest("bank-account:" + number)
        locked.consent_at, locked.confirmed_by = timezone.now(), actor
        return Effect(changes={"bank_name": bank_name, "account": "*" * (len(number) - 4) + number[-4:]})

    return transition_take(
        workflow=ENTITLEMENT_WORKFLOW,
        obj=entitlement,
        action="confirm",
        actor=actor,
        files=files,
        apply=apply,
    )


def entitlement_step(*, actor: User, entitlement: Entitlement, action: str, reason: str = "") -> Entitlement:
    """Decline (the talent), verify or return for 补正 (the county), or stop (the city)."""
    if action not in ("decline", "verify", "return", "stop"):
        raise ValidationError("未知的办理操作")

    def apply(locked: Entitlement) -> Effect | None:
        if action == "verify":
            locked.payable_on = timezone.localdate()
            budget_check(entitlement=locked, year=locked.payable_on.year)
        return None

    return transition_take(
        workflow=ENTITLEMENT_WORKFLOW, obj=entitlement, action=action, actor=actor, reason=reason, apply=apply
    )


# --- payment batches ---------------------------------------------------------------------------


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


@transaction.atomic
def payment_batch_create(*, actor: User | None, month: datetime.date) -> PaymentBatch:
    """Collect every instalment due by the end of ``month`` that is not yet in a live line (待发放
    or 已发放) into a new batch: instalment k of a payable entitlement falls due k − 1 years after
    it was verified. Run twice for the same month, the second batch holds only what became due
    since (or failed). Batches are made one at a time (a lock), and the database refuses a second
    live line of the same instalment whatever happens."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PAYMENT_LOCK_KEY])
    month = month.replace(day=1)
    end = _month_end(month)
    batch = PaymentBatch.objects.create(
        month=month, created_by=actor if actor is not None and actor.pk else None
    )
    live = set(
        PaymentLine.objects.filter(status__in=(PaymentStatus.PENDING, PaymentStatus.PAID)).values_list(
            "entitlement_id", "instalment"
        )
    )
    lines = []
    payable = Entitlement.objects.filter(status=EntitlementStatus.PAYABLE, payable_on__lte=end, amount__gt=0)
    for entitlement in payable.only("pk", "amount", "instalments", "payable_on").iterator(chunk_size=2000):
        for number, amount in enumerate(entitlement.instalment_amounts, start=1):
            due = _add_years(entitlement.payable_on, number - 1)
            if due <= end and (entitlement.pk, number) not in live:
                lines.append(
                    PaymentLine(batch=batch, entitlement=entitlement, instalment=number, amount=amount)
                )
    PaymentLine.objects.bulk_create(lines, batch_size=2000)
    audit_record(
        actor=actor,
        action="payment.batch",
        obj=batch,
        changes={
            "month": month.strftime("%Y-%m"),
            "lines": len(lines),
            "amount": str(sum((line.amount for line in lines), Decimal(0))),
        },
    )
    return batch


PAYMENT_LOCK_KEY = 7_260_011  # pg_advisory_xact_lock key of batch making


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


GRANT_REQUEST_STALE = datetime.timedelta(minutes=10)  # a queued run not started by then is queued again


def entitlements_request_grant() -> bool:
    """Queue a background grant run unless one is already waiting; True when one was queued."""
    from django.db.models import Q

    from .models import GrantState
    from .tasks import entitlements_grant_task

    GrantState.objects.get_or_create(pk=1)
    now = timezone.now()
    claimed = (
        GrantState.objects.filter(pk=1)
        .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=now - GRANT_REQUEST_STALE))
        .update(requested_at=now)
    )
    if claimed:
        entitlements_grant_task.enqueue()
    return bool(claimed)


def entitlements_grant_background() -> dict[str, int]:
    """The queued run: today's offers, then the 数据截至 time."""
    from .models import GrantState

    GrantState.objects.filter(pk=1).update(requested_at=None)
    made = entitlements_grant(on=timezone.localdate())
    GrantState.objects.update_or_create(pk=1, defaults={"finished_at": timezone.now()})
    return made


def budget_check(*, entitlement: Entitlement, year: int) -> None:
    """An approval may not take a policy past its budget for the year: what was already approved
    (made payable) that year plus this entitlement, against the budget the city set. The policy's
    budget row is locked so two approvals cannot both take the last of it. No budget row: no cap."""
    from django.db.models import Sum

    budget = (
        PolicyBudget.objects.select_for_update().filter(policy_id=entitlement.policy_id, year=year).first()
    )
    if budget is None:
        return
    approved = Entitlement.objects.filter(
        policy_id=entitlement.policy_id,
        payable_on__year=year,
        status=EntitlementStatus.PAYABLE,
    ).exclude(pk=entitlement.pk).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if approved + entitlement.amount > budget.amount:
        raise ValidationError(
            "%(year)d年度“%(policy)s”预算 %(budget)s 元，已核实 %(approved)s 元，本笔 %(amount)s 元将超出预算；"
            "请市级管理员调整预算后再核实"
            % {
                "year": year,
                "policy": entitlement.policy.name,
                "budget": budget.amount,
                "approved": approved,
                "amount": entitlement.amount,
            }
        )


@transaction.atomic
def policy_budget_set(*, actor: User, policy: BenefitPolicy, year: int, amount: Decimal) -> PolicyBudget:
    """The city raises (or sets) a policy's budget for a year; audited."""
    if amount < 0:
        raise ValidationError({"amount": "预算不能为负数"})
    before = PolicyBudget.objects.filter(policy=policy, year=year).values_list("amount", flat=True).first()
    budget, _ = PolicyBudget.objects.update_or_create(policy=policy, year=year, defaults={"amount": amount})
    audit_record(
        actor=actor,
        action="policy.budget",
        obj=policy,
        changes={"year": year, "amount": [str(before) if before is not None else None, str(amount)]},
    )
    return budget


# --- applications (依申请) ----------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *, actor: User, person, policy: BenefitPolicy, bank_name: str, account: str, consent: bool, files=()
) -> BenefitApplication:
    """Apply for a 依申请 policy the person qualifies for today, at the level and amount the engine
    reads (pre-filled, not typed). It goes to the employer to confirm the employment, or to the
    county when the person has no employer on record."""
    from gongjiang.accounts.scope import OutOfScope, scope
    from gongjiang.talents.models import Person

    from .engine import person_verdict, version_in_force
    from .selectors import version_spec

    if not scope(Person.objects.filter(pk=person.pk), actor, "view").exists() or not actor.has_perm(
        "benefits.add_benefitapplication"
    ):
        raise OutOfScope("该人员超出了您的数据范围，不能代为申请")
    if policy.mode != "application":
        raise ValidationError("“%s”是免申即享政策，无需申请" % policy.name)
    today = timezone.localdate()
    version = version_in_force(list(policy.versions.all()), today)
    if version is None:
        raise ValidationError("“%s”目前不在有效期内" % policy.name)
    verdict = person_verdict(version_spec(version, policy=policy), person, today)
    if not verdict.eligible:
        failing = "；".join(c.reason for c in verdict.checks if not c.ok)
        raise ValidationError("不符合“%s”的条件：%s" % (policy.name, failing))
    if not consent:
        raise ValidationError({"consent": "请阅读并同意发放须知"})
    bank_name = (bank_name or "").strip()
    if not bank_name:
        raise ValidationError({"bank_name": "请填写开户银行"})
    number = bank_account_clean(account)
    if BenefitApplication.objects.filter(
        policy=policy,
        person=person,
        status__in=("employer_review", "county_review", "city_review", "returned"),
    ).exists():
        raise ValidationError("已有一份尚未办结的“%s”申请" % policy.name)
    application = BenefitApplication(
        policy=policy,
        version=version,
        person=person,
        level_id=verdict.level,
        amount=verdict.amount,
        bank_name=bank_name[:60],
        account_cipher=encrypt(number),
        account_digest=digest("bank-account:" + number),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    # The employer applying for its own staff confirms the employment by applying.
    by_employer = bool(person.employer_id) and actor.organisation_id == person.employer_id
    first = (
        ApplicationStatus.EMPLOYER_REVIEW
        if person.employer_id and not by_employer
        else ApplicationStatus.COUNTY_REVIEW
    )
    application.status = first
    application.save()
    workflow_start(
        workflow=APPLICATION_WORKFLOW,
        obj=application,
        actor=actor,
        state=first,
        action="submit",
        label="单位代为申请（视同确认在职）" if by_employer else "提交申请",
        effect=Effect(changes={"policy": policy.code, "level": verdict.level, "amount": str(verdict.amount)}),
        files=files,
    )
    return application


@dataclass
class StaffApplication:
    person: object
    bank_name: str
    account: str


@transaction.atomic
def applications_submit_for_staff(
    *, actor: User, policy: BenefitPolicy, rows: list[StaffApplication], consent: bool
) -> list[BenefitApplication]:
    """The employer applies for many of its staff at once: each row as ``application_submit``
    would take it alone; any refusal refuses the whole submission (each reason named with the
    person), and nothing is written."""
    if not rows:
        raise ValidationError("请至少勾选一名职工")
    if not consent:
        raise ValidationError("请确认已取得所列职工的同意，并已核对收款账户")
    made, errors = [], []
    for row in rows:
        try:
            with transaction.atomic():
                made.append(
                    application_submit(
                        actor=actor,
                        person=row.person,
                        policy=policy,
                        bank_name=row.bank_name,
                        account=row.account,
                        consent=True,
                    )
                )
        except ValidationError as exc:
            errors.append("%s：%s" % (row.person.name, "；".join(exc.messages)))
    if errors:
        raise ValidationError("有 %d 人未能申请，本次未提交任何申请：%s" % (len(errors), "；".join(errors)))
    return made


def application_step(
    *, actor: User, application: BenefitApplication, action: str, reason: str = "", files=()
):
    """Employer confirmation, county pass, city approval (which grants the entitlement within the
    year's budget), 退回补正, 不予通过, or the applicant's resubmission."""
    if action not in APPLICATION_WORKFLOW.transitions or action == "submit":
        raise ValidationError("未知的办理操作")

    def apply(locked: BenefitApplication) -> Effect | None:
        from .selectors import exclusive_entitlement

        if action != "approve":
            return None
        today = timezone.localdate()
        entitlement = Entitlement(
            policy_id=locked.policy_id,
            version_id=locked.version_id,
            person_id=locked.person_id,
            level_id=locked.level_id,
            amount=locked.amount,
            instalments=locked.version.rules.get("instalments", 1),
            status=EntitlementStatus.PAYABLE,
            granted_on=today,
            payable_on=today,
            bank_name=locked.bank_name,
            account_cipher=locked.account_cipher,
            account_digest=locked.account_digest,
            consent_at=locked.submitted_at,
            confirmed_by_id=locked.submitted_by_id,
        )
        budget_check(entitlement=entitlement, year=today.year)
        if Entitlement.objects.filter(
            policy_id=locked.policy_id, person_id=locked.person_id, level_id=locked.level_id, status__in=LIVE
        ).exists():
            raise ValidationError("该人员已享受“%s”的同级待遇，不能重复批准" % locked.policy.name)
        other = exclusive_entitlement(
            person_id=locked.person_id,
            level_id=locked.level_id,
            codes=locked.version.rules.get("excludes", []),
        )
        if other is not None:
            raise ValidationError(
                "该人员已享受“%s”的同级待遇，与“%s”不能同时享受，不能批准；请不予通过"
                % (other.policy.name, locked.policy.name)
            )
        entitlement.save()
        locked.entitlement = entitlement
        return Effect(changes={"entitlement": entitlement.pk, "amount": str(entitlement.amount)})

    return transition_take(
        workflow=APPLICATION_WORKFLOW,
        obj=application,
        action=action,
        actor=actor,
        reason=reason,
        files=files,
        apply=apply,
        lock=BenefitApplication.objects.select_related("policy", "version"),
    )
