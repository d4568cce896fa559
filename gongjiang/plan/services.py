"""Writes of the plan: loading the measures from the policy text, tasks, progress reports and 督办
on the one workflow, the daily check (reminders, overdue → 督办), budgets and spending."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import uscc

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import User
from gongjiang.accounts.scope import OutOfScope, ensure_in_scope
from gongjiang.accounts.services import audit_record
from gongjiang.benefits.choices import PaymentStatus
from gongjiang.benefits.models import PaymentLine
from gongjiang.core import policy
from gongjiang.core.models import Region
from gongjiang.core.validators import reason_clean
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Organisation
from gongjiang.workflow.models import step_days
from gongjiang.workflow.services import Effect, notify, transition_take, workflow_start

from .choices import ReportStatus, ResponsibilityRole, SpendingOrigin, SupervisionKind, SupervisionStatus
from .models import (
    Budget,
    FundingSource,
    Measure,
    Milestone,
    ProgressReport,
    Responsibility,
    Spending,
    Supervision,
    Task,
)
from .policytext import POLICY_FILE, department_names, parse_measures
from .workflows import REPORT_WORKFLOW, SUPERVISION_WORKFLOW

CITY_REGION = "320700"


# --- quarters ----------------------------------------------------------------------------------


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def report_due(year: int, quarter: int) -> datetime.date:
    """A quarter's report is due on PLAN_REPORT_DAY of the month after the quarter ends."""
    month = quarter * 3 + 1
    if month > 12:
        return datetime.date(year + 1, 1, policy.PLAN_REPORT_DAY)
    return datetime.date(year, month, policy.PLAN_REPORT_DAY)


# --- measures and departments ------------------------------------------------------------------


def _department_code(name: str) -> str:
    """A stable, valid 统一社会信用代码 for a department the loader had to create (category 11, a
    government organ); the city corrects it on the organisation's page."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    digest = hashlib.sha256(name.encode()).digest()
    body = "11" + CITY_REGION + "".join(alphabet[b % len(alphabet)] for b in digest[:9])
    return body + uscc.calc_check_digit(body)


def _department(name: str) -> Organisation:
    org = Organisation.objects.filter(name=name, kind=OrgKind.DEPARTMENT).order_by("id").first()
    if org is None:
        org = Organisation.objects.create(
            name=name, kind=OrgKind.DEPARTMENT, region_id=CITY_REGION, uscc=_department_code(name)
        )
    return org


@transaction.atomic
def measures_load(*, actor: User | None, text: str | None = None) -> dict[str, int]:
    """Load (or reload) the ten measures and their responsible departments from the policy text.
    Departments are organisations of kind 政府部门, created when missing. A role the city changed
    (the lead of a measure) is kept on reload; a department no longer named is dropped."""
    text = text if text is not None else POLICY_FILE.read_text(encoding="utf-8")
    measures = parse_measures(text)
    if [m.number for m in measures] != list(range(1, 11)):
        raise ValidationError(
            "政策文本中应有“一、”至“十、”共十条措施，实际读到 %(n)d 条" % {"n": len(measures)}
        )
    full_names = department_names()
    unknown = sorted({d for m in measures for d in m.departments} - set(full_names))
    if unknown:
        raise ValidationError(
            "政策文本中的部门没有对应的全称（data/departments.csv）：%s" % "、".join(unknown)
        )
    departments = 0
    for m in measures:
        measure, _ = Measure.objects.update_or_create(
            number=m.number, defaults={"title": m.title, "text": m.text, "counties": m.counties}
        )
        kept = []
        for position, named_as in enumerate(m.departments):
            org = _department(full_names[named_as])
            row, created = Responsibility.objects.get_or_create(
                measure=measure,
                department=org,
                defaults={
                    "named_as": named_as,
                    "position": position,
                    "role": ResponsibilityRole.LEAD
                    if position == 0
                    and not Responsibility.objects.filter(measure=measure, role="lead").exists()
                    else ResponsibilityRole.SUPPORT,
                },
            )
            if not created and (row.named_as, row.position) != (named_as, position):
                row.named_as, row.position = named_as, position
                row.save(update_fields=["named_as", "position"])
            kept.append(row.pk)
            departments += 1
        Responsibility.objects.filter(measure=measure).exclude(pk__in=kept).delete()
    counts = {"measures": len(measures), "responsibilities": departments}
    audit_record(actor=actor, username="plan_load", action="plan.measures_load", changes=counts)
    return counts


@transaction.atomic
def responsibility_lead_set(*, actor: User, responsibility: Responsibility) -> Responsibility:
    """The city makes ``responsibility``'s department the lead of its measure (one lead each)."""
    if not actor.has_perm("core.change_refdata"):
        raise PermissionDenied
    Responsibility.objects.filter(measure=responsibility.measure_id).update(role=ResponsibilityRole.SUPPORT)
    Responsibility.objects.filter(pk=responsibility.pk).update(role=ResponsibilityRole.LEAD)
    audit_record(actor=actor, action="plan.lead_set", obj=responsibility)
    responsibility.refresh_from_db()
    return responsibility


# --- tasks -------------------------------------------------------------------------------------


def _county_regions():
    return Region.objects.exclude(kind="city")


@transaction.atomic
def task_create(
    *,
    actor: User,
    measure: Measure,
    title: str,
    owner: Organisation,
    supporting: Iterable[Organisation] = (),
    description: str = "",
    indicator: str = "",
    target: str = "",
    target_value: Decimal | None = None,
    evidence: str = "",
    milestones: dict[int, tuple[str, Decimal | None]] | None = None,
    today: datetime.date | None = None,
) -> Task:
    """A task under ``measure``: the owner and supporting departments must be departments; every
    county and 功能板块 takes part where the measure names them; one milestone per year given; the
    current quarter's progress report is opened for the owner."""
    if not actor.has_perm("plan.add_task"):
        raise PermissionDenied
    supporting = [s for s in supporting if s.pk != owner.pk]
    for org in [owner, *supporting]:
        if org.kind != OrgKind.DEPARTMENT:
            raise ValidationError({"owner": "“%s”不是政府部门" % org.name})
    task = Task(
        measure=measure,
        title=title,
        description=description,
        owner=owner,
        indicator=indicator,
        target=target,
        target_value=target_value,
        evidence=evidence,
        created_by=actor,
    )
    task.full_clean()
    task.save()
    task.supporting.set(supporting)
    task.departments.set([owner, *supporting])
    if measure.counties:
        task.regions.set(_county_regions())
    for year, (description_, value) in sorted((milestones or {}).items()):
        if year not in policy.PLAN_YEARS:
            raise ValidationError(
                "年度里程碑只能设在 %d—%d 年" % (policy.PLAN_YEARS[0], policy.PLAN_YEARS[-1])
            )
        if description_:
            Milestone.objects.create(
                task=task,
                year=year,
                description=description_,
                target_value=value,
                due_on=datetime.date(year, 12, 31),
            )
    reports_open(tasks=[task], today=today or timezone.localdate())
    audit_record(
        actor=actor,
        action="plan.task_create",
        obj=task,
        changes={"measure": measure.number, "owner": owner.name, "supporting": [s.name for s in supporting]},
    )
    ensure_in_scope(task, actor, "view")
    return task


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    description: str,
    target: str,
    target_value: Decimal | None,
    evidence: str,
    milestones: dict[int, tuple[str, Decimal | None]],
) -> Task:
    """The city, or the owner department, refines a task: its content, target, evidence and the
    yearly milestones (a met milestone keeps its date; one left empty and not met is removed)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not Task.objects.for_user(actor, "change").filter(pk=task.pk).exists() or (
        actor.role == Role.DEPARTMENT and task.owner_id != actor.organisation_id
    ):
        raise OutOfScope("只有牵头部门和市级管理员可以修改任务")
    before = {"description": task.description, "target": task.target, "evidence": task.evidence}
    task.description, task.target, task.target_value, task.evidence = (
        description,
        target,
        target_value,
        evidence,
    )
    task.full_clean()
    task.save()
    for year in policy.PLAN_YEARS:
        text, value = milestones.get(year, ("", None))
        existing = Milestone.objects.filter(task=task, year=year).first()
        if text:
            Milestone.objects.update_or_create(
                task=task,
                year=year,
                defaults={"description": text, "target_value": value, "due_on": datetime.date(year, 12, 31)},
            )
        elif existing is not None and existing.met_on is None:
            existing.delete()
    audit_record(
        actor=actor,
        action="plan.task_update",
        obj=task,
        changes={k: [v, getattr(task, k)] for k, v in before.items() if v != getattr(task, k)},
    )
    return task


def reports_open(*, tasks: Iterable[Task] | None = None, today: datetime.date) -> int:
    """Open the current quarter's progress report of every task (or of ``tasks``) that has none
    yet: 待报送, due on the report day after the quarter. Returns how many were opened."""
    year, quarter = quarter_of(today)
    if year not in policy.PLAN_YEARS:
        return 0
    tasks = list(tasks) if tasks is not None else list(Task.objects.all())
    have = set(
        ProgressReport.objects.filter(task__in=tasks, year=year, quarter=quarter).values_list(
            "task_id", flat=True
        )
    )
    due = report_due(year, quarter)
    made = ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                task=t, department_id=t.owner_id, year=year, quarter=quarter, report_due=due, due_on=due
            )
            for t in tasks
            if t.pk not in have
        ]
    )
    return len(made)


# --- progress reports --------------------------------------------------------------------------


def report_submit(
    *,
    actor: User,
    report: ProgressReport,
    text: str,
    figure: Decimal | None = None,
    milestone: Milestone | None = None,
    files: Iterable = (),
) -> ProgressReport:
    """The owner department hands in (or, after 补正, hands in again) a quarter's progress: it goes
    to the city's review (after 补正 straight back to the reviewer who returned it)."""
    action = "resubmit" if report.status == ReportStatus.RETURNED else "submit"
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写本季度工作进展"})
    if milestone is not None and milestone.task_id != report.task_id:
        raise ValidationError({"milestone": "只能选择本任务的年度里程碑"})

    def apply(locked: ProgressReport) -> Effect:
        locked.text, locked.figure, locked.milestone = text, figure, milestone
        locked.submitted_by, locked.submitted_at = actor, timezone.now()
        return Effect(changes={"figure": str(figure) if figure is not None else ""})

    return transition_take(
        workflow=REPORT_WORKFLOW, obj=report, action=action, actor=actor, files=files, apply=apply
    )


def report_review(*, actor: User, report: ProgressReport, action: str, reason: str = "") -> ProgressReport:
    """The city accepts a report (a milestone it says is met is then met, with the figure as the
    actual value) or returns it for 补正."""
    if action not in ("accept", "return"):
        raise ValidationError("未知的审核操作")

    def apply(locked: ProgressReport) -> Effect | None:
        if action == "accept" and locked.milestone_id:
            Milestone.objects.filter(pk=locked.milestone_id, met_on__isnull=True).update(
                met_on=timezone.localdate(), actual_value=locked.figure
            )
            return Effect(changes={"milestone_met": locked.milestone_id})
        return None

    return transition_take(
        workflow=REPORT_WORKFLOW, obj=report, action=action, actor=actor, reason=reason, apply=apply
    )


# --- 督办 --------------------------------------------------------------------------------------


def _department_users(org_id: int) -> list[int]:
    return list(
        User.objects.filter(role=Role.DEPARTMENT, organisation_id=org_id, is_active=True).values_list(
            "pk", flat=True
        )
    )


def _city_users() -> list[int]:
    return list(User.objects.filter(role=Role.CITY_ADMIN, is_active=True).values_list("pk", flat=True))


def _raise(*, kind: str, task: Task, text: str, today: datetime.date, **link) -> Supervision | None:
    """Raise one 督办 notice (None when one was raised for the same report or milestone before)."""
    supervision = Supervision(
        kind=kind, task=task, department_id=task.owner_id, text=text[:300], raised_on=today, **link
    )
    try:
        with transaction.atomic():
            workflow_start(
                workflow=SUPERVISION_WORKFLOW,
                obj=supervision,
                actor=None,
                state=SupervisionStatus.OPEN,
                action="raise",
                label="发出督办",
                note=text,
            )
            # the step starts on the day of the check (the check may run for a past day)
            days = step_days(SUPERVISION_WORKFLOW.key, SupervisionStatus.OPEN)
            supervision.step_started_on = today
            supervision.due_on = today + datetime.timedelta(days=days) if days else None
            supervision.save(update_fields=["step_started_on", "due_on"])
    except IntegrityError:
        return None
    url = reverse("plan:supervision_detail", args=[supervision.pk])
    notify(
        users=_department_users(task.owner_id) + _city_users(),
        text="督办：%s（请于 %s 前回复）"
        % (text, supervision.due_on.isoformat() if supervision.due_on else "尽快"),
        url=url,
    )
    return supervision


def supervision_step(
    *, actor: User, supervision: Supervision, action: str, reason: str = "", files: Iterable = ()
) -> Supervision:
    """The department replies to a 督办 notice; the city closes it or asks for more."""
    if action not in SUPERVISION_WORKFLOW.transitions:
        raise ValidationError("未知的办理操作")

    def apply(locked: Supervision) -> Effect | None:
        if action == "reply":
            locked.reply, locked.replied_by, locked.replied_at = reason, actor, timezone.now()
        return None

    return transition_take(
        workflow=SUPERVISION_WORKFLOW,
        obj=supervision,
        action=action,
        actor=actor,
        reason=reason,
        files=files,
        apply=apply,
    )


def plan_daily(today: datetime.date | None = None) -> dict[str, int]:
    """The daily check, safe to run any number of times a day (a second run raises nothing new):
    opens the quarter's reports, reminds departments of reports due within PLAN_REMINDER_DAYS
    (once per report), raises one 督办 for each report not handed in by its deadline (from the day
    after) and for each milestone not met by its date, and carries paid benefit payments into
    the funding."""
    today = today or timezone.localdate()
    counts = {
        "opened": reports_open(today=today),
        "reminded": 0,
        "overdue_reports": 0,
        "lagging_milestones": 0,
    }
    soon = today + datetime.timedelta(days=policy.PLAN_REMINDER_DAYS)
    for report in (
        ProgressReport.objects.filter(
            status=ReportStatus.DUE, reminded_on__isnull=True, report_due__gte=today, report_due__lte=soon
        )
        .select_related("task")
        .order_by("pk")
    ):
        with transaction.atomic():
            if not ProgressReport.objects.filter(pk=report.pk, reminded_on__isnull=True).update(
                reminded_on=today
            ):
                continue
            notify(
                users=_department_users(report.department_id),
                text="提醒：%s 的进展报告请于 %s 前报送" % (report, report.report_due.isoformat()),
                url=reverse("plan:report_detail", args=[report.pk]),
            )
            counts["reminded"] += 1
    late = ProgressReport.objects.filter(status=ReportStatus.DUE, report_due__lt=today).exclude(
        pk__in=Supervision.objects.filter(report__isnull=False).values("report_id")
    )
    for report in late.select_related("task").order_by("pk"):
        text = "%s 的进展报告已逾期未报（截止 %s）" % (report, report.report_due.isoformat())
        if _raise(
            kind=SupervisionKind.OVERDUE_REPORT, task=report.task, text=text, today=today, report=report
        ):
            counts["overdue_reports"] += 1
    lagging = Milestone.objects.filter(met_on__isnull=True, due_on__lt=today).exclude(
        pk__in=Supervision.objects.filter(milestone__isnull=False).values("milestone_id")
    )
    for milestone in lagging.select_related("task").order_by("pk"):
        text = "%s：%d年里程碑“%s”未按期完成" % (milestone.task.title, milestone.year, milestone.description)
        if _raise(
            kind=SupervisionKind.LAGGING_MILESTONE,
            task=milestone.task,
            text=text,
            today=today,
            milestone=milestone,
        ):
            counts["lagging_milestones"] += 1
    counts["benefit_spending"] = spending_sync_benefits()
    return counts


# --- funding -----------------------------------------------------------------------------------


@transaction.atomic
def budget_set(*, actor: User, source: FundingSource, measure: Measure, year: int, amount: Decimal) -> Budget:
    """Set the year's budget of ``source`` for ``measure`` (replacing an earlier figure)."""
    if not actor.has_perm("plan.add_budget"):
        raise PermissionDenied
    if amount < 0:
        raise ValidationError({"amount": "预算不能为负数"})
    before = (
        Budget.objects.filter(source=source, measure=measure, year=year)
        .values_list("amount", flat=True)
        .first()
    )
    budget, _ = Budget.objects.update_or_create(
        source=source, measure=measure, year=year, defaults={"amount": amount}
    )
    audit_record(
        actor=actor,
        action="plan.budget_set",
        obj=budget,
        changes={"amount": [str(before or ""), str(amount)]},
    )
    return budget


@transaction.atomic
def spending_add(
    *,
    actor: User,
    source: FundingSource,
    measure: Measure,
    spent_on: datetime.date,
    amount: Decimal,
    description: str,
) -> Spending:
    if not actor.has_perm("plan.add_spending"):
        raise PermissionDenied
    row = Spending(
        source=source,
        measure=measure,
        spent_on=spent_on,
        amount=amount,
        description=description,
        origin=SpendingOrigin.MANUAL,
        created_by=actor,
    )
    row.full_clean()
    row.save()
    audit_record(actor=actor, action="plan.spending_add", obj=row, changes={"amount": str(amount)})
    return row


@transaction.atomic
def spending_reverse(*, actor: User, spending: Spending, reason: str) -> Spending:
    """Cancel a wrong manual or imported spending row: a row of the opposite amount, dated as the
    original (so the year's figures come out right), with the reason; both stay on record. A
    carried benefit payment follows its payment line, and a reversal is not reversed again."""
    if not actor.has_perm("plan.add_spending"):
        raise PermissionDenied
    spending = Spending.objects.select_for_update().get(pk=spending.pk)
    if spending.origin == SpendingOrigin.BENEFIT:
        raise ValidationError("人才待遇发放记录随发放结果同步，不能冲销")
    if spending.origin == SpendingOrigin.REVERSAL:
        raise ValidationError("这是一条冲销记录，不能再冲销")
    if Spending.objects.filter(reverses=spending).exists():
        raise ValidationError("该支出已冲销")
    reason = reason_clean(reason, what="冲销事由", message="请填写冲销事由", keep=80)
    row = Spending.objects.create(
        source_id=spending.source_id,
        measure_id=spending.measure_id,
        spent_on=spending.spent_on,
        amount=-spending.amount,
        description=("冲销：%s（%s）" % (spending.description, reason))[:200],
        origin=SpendingOrigin.REVERSAL,
        reverses=spending,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="plan.spending_reverse",
        obj=spending,
        changes={"amount": str(spending.amount), "reason": reason, "reversal": row.pk},
    )
    return row


@transaction.atomic
def spending_sync_benefits() -> int:
    """Carry every paid benefit payment line not yet carried into a spending row of the source that
    takes benefit payments (on its measure), dated on its settlement. Returns rows made."""
    source = FundingSource.objects.filter(benefit_measure__isnull=False).order_by("position", "id").first()
    if source is None:
        return 0
    carried = Spending.objects.filter(payment_line_id__isnull=False).values("payment_line_id")
    lines = (
        PaymentLine.objects.filter(status=PaymentStatus.PAID)
        .exclude(pk__in=carried)
        .select_related("batch", "entitlement__policy")
        .order_by("pk")
    )
    rows = [
        Spending(
            source=source,
            measure_id=source.benefit_measure_id,
            spent_on=timezone.localdate(line.settled_at) if line.settled_at else line.batch.month,
            amount=line.amount,
            description="%s 第%d期发放" % (line.entitlement.policy.name, line.instalment),
            origin=SpendingOrigin.BENEFIT,
            payment_line_id=line.pk,
        )
        for line in lines
    ]
    Spending.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if rows:
        audit_record(
            actor=None, username="plan_daily", action="plan.spending_sync", changes={"rows": len(rows)}
        )
    return len(rows)
