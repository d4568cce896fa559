"""Reads of the plan, all through the one scope rule: tasks and their state today, the matrix of
measures × departments, a department's next steps, funding execution, the report's section."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.http import Http404
from django.urls import reverse

from gongjiang.accounts.choices import Role
from gongjiang.accounts.shortcuts import get_scoped_or_404

from .choices import ReportStatus, ResponsibilityRole, SupervisionStatus, TaskState
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

# Worst first: a cell takes the state of its worst task.
SEVERITY = [TaskState.OVERDUE, TaskState.LAGGING, TaskState.ON_TRACK, TaskState.DONE]


def task_list(*, user):
    return (
        Task.objects.for_user(user)
        .select_related("measure", "owner")
        .prefetch_related("supporting")
        .order_by("measure_id", "id")
    )


def task_detail(*, user, pk: int) -> Task:
    return get_scoped_or_404(Task.objects.select_related("measure", "owner"), user, pk=pk)


def task_for_edit(*, user, pk: int) -> Task:
    """A task the user may edit: the city any, a department only those it owns (it sees those it
    supports too, but does not change them). Otherwise 404."""
    task = get_scoped_or_404(Task.objects.select_related("measure", "owner"), user, "change", pk=pk)
    if user.role == Role.DEPARTMENT and task.owner_id != user.organisation_id:
        raise Http404
    return task


def report_detail(*, user, pk: int) -> ProgressReport:
    return get_scoped_or_404(
        ProgressReport.objects.select_related("task__measure", "task__owner", "department", "milestone"),
        user,
        pk=pk,
    )


def supervision_list(*, user):
    return Supervision.objects.for_user(user).select_related("task__measure", "department")


def supervision_detail(*, user, pk: int) -> Supervision:
    return get_scoped_or_404(Supervision.objects.select_related("task__measure", "department"), user, pk=pk)


def _with_state_data(tasks, user):
    """Prefetch what a task's state needs, each relation through the user's scope."""
    return tasks.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("year")),
        Prefetch("reports", queryset=ProgressReport.objects.for_user(user), to_attr="scoped_reports"),
        Prefetch(
            "supervisions",
            queryset=Supervision.objects.for_user(user).exclude(status=SupervisionStatus.CLOSED),
            to_attr="open_supervisions",
        ),
    )


def task_state(task: Task, today: datetime.date) -> str:
    """逾期: a report not handed in by its deadline, or a 督办 not answered by its own; 滞后: a
    milestone past its date and not met, a report returned for 补正 or a 督办 still open; 已完成:
    every milestone met; otherwise 正常推进. ``task`` comes from ``_with_state_data``."""
    reports = getattr(task, "scoped_reports", None)
    if reports is None:
        reports = list(task.reports.all())
    supervisions = getattr(task, "open_supervisions", None)
    if supervisions is None:
        supervisions = list(task.supervisions.exclude(status=SupervisionStatus.CLOSED))
    milestones = list(task.milestones.all())
    if any(r.is_late(today) for r in reports) or any(
        s.status == SupervisionStatus.OPEN and s.due_on and s.due_on < today for s in supervisions
    ):
        return TaskState.OVERDUE
    if (
        any(m.is_lagging(today) for m in milestones)
        or any(r.status == ReportStatus.RETURNED for r in reports)
        or supervisions
    ):
        return TaskState.LAGGING
    if milestones and all(m.met_on for m in milestones):
        return TaskState.DONE
    return TaskState.ON_TRACK


def worst(states) -> str:
    states = list(states)
    if not states:
        return TaskState.NONE
    return min(states, key=SEVERITY.index)


def tasks_with_state(*, user, today: datetime.date, queryset=None) -> list[Task]:
    tasks = list(_with_state_data(queryset if queryset is not None else task_list(user=user), user))
    for t in tasks:
        t.state = task_state(t, today)
        t.state_label, t.state_colour = TaskState(t.state).label, TaskState.colours[t.state]
    return tasks


@dataclass
class Cell:
    measure: Measure
    role: str = ""  # 牵头 / 配合 / "" (not named in the measure)
    state: str = ""  # a TaskState, or "" (neither named nor given a task)
    count: int = 0
    url: str = ""

    @property
    def state_label(self) -> str:
        return TaskState(self.state).label if self.state else ""

    @property
    def colour(self) -> str:
        return TaskState.colours.get(self.state, "") if self.state else ""


@dataclass
class MatrixRow:
    key: str
    label: str
    cells: list[Cell] = field(default_factory=list)


def plan_matrix(*, user, today: datetime.date) -> tuple[list[Measure], list[MatrixRow]]:
    """Measures × departments (the departments the text names, in their first-named order, and a
    row for the counties and 功能板块). Each cell: the department's role in the measure and the
    worst state of the tasks it takes part in there (only tasks in the user's scope). A department
    sees its own row; a county sees the counties' row."""
    measures = list(Measure.objects.all())
    responsibilities = list(
        Responsibility.objects.select_related("department").order_by("measure_id", "position")
    )
    tasks = tasks_with_state(
        user=user, today=today, queryset=task_list(user=user).prefetch_related("departments")
    )
    by_cell: dict[tuple, list[str]] = defaultdict(list)
    for t in tasks:
        for d in t.departments.all():
            by_cell[(d.pk, t.measure_id)].append(t.state)
        if t.measure.counties:
            by_cell[("counties", t.measure_id)].append(t.state)
    order: dict[int, str] = {}
    roles: dict[tuple, str] = {}
    for r in sorted(responsibilities, key=lambda r: (r.measure_id, r.position)):
        order.setdefault(r.department_id, r.named_as)
        roles[(r.department_id, r.measure_id)] = r.get_role_display()
    keys: list[tuple] = list(order.items())
    if user.role == Role.DEPARTMENT:
        keys = [(pk, name) for pk, name in keys if pk == user.organisation_id]
    if user.role in (Role.CITY_ADMIN, Role.REGION_OPERATOR):
        keys.append(("counties", "各县区人民政府、功能板块管委会"))
    if user.role == Role.REGION_OPERATOR:
        keys = [k for k in keys if k[0] == "counties"]
    rows = []
    for key, label in keys:
        row = MatrixRow(key=str(key), label=label)
        for m in measures:
            role = ("配合" if m.counties else "") if key == "counties" else roles.get((key, m.number), "")
            states = by_cell.get((key, m.number), [])
            state = worst(states) if (states or role) else ""
            params = "?measure=%d" % m.number + (
                "&department=%s" % key if key != "counties" else "&counties=true"
            )
            row.cells.append(
                Cell(
                    measure=m,
                    role=role,
                    state=state,
                    count=len(states),
                    url=reverse("plan:task_list") + params if states else "",
                )
            )
        rows.append(row)
    return measures, rows


def next_steps(*, user, today: datetime.date) -> dict:
    """What a department must do next: reports to hand in or correct, 督办 to answer."""
    reports = (
        ProgressReport.objects.for_user(user, "change")
        .filter(status__in=(ReportStatus.DUE, ReportStatus.RETURNED))
        .select_related("task__measure")
        .order_by("report_due", "pk")
    )
    supervisions = (
        Supervision.objects.for_user(user, "reply")
        .filter(status=SupervisionStatus.OPEN)
        .select_related("task")
        .order_by("due_on", "pk")
    )
    return {"reports": list(reports[:20]), "supervisions": list(supervisions[:20]), "today": today}


def milestone_for_report(report: ProgressReport):
    return report.task.milestones.filter(met_on__isnull=True).order_by("year")


# --- funding -----------------------------------------------------------------------------------


@dataclass
class Execution:
    label: str
    budget: Decimal
    spent: Decimal

    @property
    def rate(self) -> float | None:
        return float(self.spent / self.budget) if self.budget else None


@dataclass
class FundingView:
    year: int
    sources: list[FundingSource]
    measures: list[Measure]
    cells: dict[tuple[int, int], Execution]  # (source, measure)
    by_source: list[tuple[FundingSource, Execution]]
    by_measure: list[tuple[Measure, Execution]]
    total: Execution


def funding_execution(*, user, year: int) -> FundingView:
    """Budget, spending and execution rate (spent ÷ budget) of ``year`` per source × measure, per
    source and per measure, from the budget and spending rows in the user's scope."""
    budgets = Budget.objects.for_user(user).filter(year=year).values("source_id", "measure_id")
    spent = Spending.objects.for_user(user).filter(spent_on__year=year).values("source_id", "measure_id")
    b = {(r["source_id"], r["measure_id"]): r["s"] for r in budgets.annotate(s=Sum("amount"))}
    s = {(r["source_id"], r["measure_id"]): r["s"] for r in spent.annotate(s=Sum("amount"))}
    sources = list(FundingSource.objects.all())
    measures = list(Measure.objects.all())
    zero = Decimal("0")
    cells = {key: Execution("", b.get(key) or zero, s.get(key) or zero) for key in set(b) | set(s)}

    def total(keys) -> tuple[Decimal, Decimal]:
        keys = list(keys)
        return sum((cells[k].budget for k in keys), zero), sum((cells[k].spent for k in keys), zero)

    by_source = [(src, Execution(src.name, *total(k for k in cells if k[0] == src.pk))) for src in sources]
    by_measure = [(m, Execution(str(m), *total(k for k in cells if k[1] == m.number))) for m in measures]
    return FundingView(
        year=year,
        sources=sources,
        measures=measures,
        cells=cells,
        by_source=by_source,
        by_measure=by_measure,
        total=Execution("合计", *total(cells)),
    )


def funding_chart(view: FundingView) -> dict:
    """Budget and spending per measure (bars) and the execution rate (line), for ECharts."""
    return {
        "categories": ["措施%s" % m.numeral for m, _ in view.by_measure],
        "budget": [float(e.budget) for _, e in view.by_measure],
        "spent": [float(e.spent) for _, e in view.by_measure],
        "rate": [round(e.rate * 100, 1) if e.rate is not None else None for _, e in view.by_measure],
    }


def spending_list(*, user):
    return Spending.objects.for_user(user).select_related("source", "measure", "reversed_by")


def spending_detail(*, user, pk: int) -> Spending:
    return get_scoped_or_404(Spending.objects.select_related("source", "measure"), user, pk=pk)


# --- the quarterly report's section ------------------------------------------------------------


@dataclass
class MeasureSummary:
    measure: Measure
    tasks: int
    done: int
    overdue_tasks: int
    milestones_due: int
    milestones_met: int
    overdue_reports: int
    open_supervisions: int
    budget: Decimal
    spent: Decimal

    @property
    def rate(self) -> float | None:
        return float(self.spent / self.budget) if self.budget else None


def plan_summary(*, user, on: datetime.date) -> list[MeasureSummary] | None:
    """Per measure, for the quarterly report: tasks (done, overdue), milestones due by ``on`` and
    met, reports not handed in by their deadline, open 督办, and the year's funding executed. None
    for a user who may not read the plan."""
    if not user.has_perm("plan.view_task"):
        return None
    tasks = tasks_with_state(user=user, today=on)
    funding = funding_execution(user=user, year=on.year) if user.has_perm("plan.view_budget") else None
    rows = []
    for m in Measure.objects.all():
        mine = [t for t in tasks if t.measure_id == m.number]
        milestones = [ms for t in mine for ms in t.milestones.all() if ms.due_on <= on or ms.met_on]
        execution = dict(funding.by_measure).get(m) if funding else None
        rows.append(
            MeasureSummary(
                measure=m,
                tasks=len(mine),
                done=sum(1 for t in mine if t.state == TaskState.DONE),
                overdue_tasks=sum(1 for t in mine if t.state == TaskState.OVERDUE),
                milestones_due=len(milestones),
                milestones_met=sum(1 for ms in milestones if ms.met_on and ms.met_on <= on),
                overdue_reports=sum(1 for t in mine for r in t.scoped_reports if r.is_late(on)),
                open_supervisions=len([s for t in mine for s in t.open_supervisions]),
                budget=execution.budget if execution else Decimal("0"),
                spent=execution.spent if execution else Decimal("0"),
            )
        )
    return rows


def leads_of(measure: Measure) -> list[Responsibility]:
    return list(measure.responsibilities.filter(role=ResponsibilityRole.LEAD).select_related("department"))
