"""Pages of the plan: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongjiang.accounts.scope import may
from gongjiang.common.forms import apply_validation_error
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page
from gongjiang.workflow.selectors import history, permitted_steps
from gongjiang.workflow.views import step_post

from . import selectors, services
from .choices import ReportStatus, TaskState
from .filters import SpendingFilterSet, SupervisionFilterSet, TaskFilterSet
from .forms import BudgetForm, ReportForm, SpendingForm, SpendingReverseForm, TaskEditForm, TaskForm
from .tables import SpendingTable, SupervisionTable, TaskTable
from .workflows import REPORT_WORKFLOW, SUPERVISION_WORKFLOW


@login_required
@permission_required("plan.view_task", raise_exception=True)
def matrix_view(request):
    today = timezone.localdate()
    measures, rows = selectors.plan_matrix(user=request.user, today=today)
    context = {
        "title": "部门任务矩阵",
        "measures": measures,
        "rows": rows,
        "legend": [(s.label, TaskState.colours[s.value]) for s in TaskState if s != TaskState.NONE],
        "next": selectors.next_steps(user=request.user, today=today)
        if request.user.has_perm("plan.change_progressreport")
        else None,
    }
    return render(request, "plan/matrix.html", context)


class TaskListView(ObjectListView):
    title = "部门任务"
    table_class = TaskTable
    filterset_class = TaskFilterSet
    view_permission = "plan.view_task"
    export_permission = "plan.export_task"
    export_name = "部门任务"
    selector = staticmethod(selectors.task_list)
    create_url_name = "plan:task_create"
    create_permission = "plan.add_task"
    extra_actions = (
        ("任务矩阵", "plan:matrix", "plan.view_task", "grid-3x3"),
        ("督办", "plan:supervision_list", "plan.view_supervision", "megaphone"),
        ("资金", "plan:funding", "plan.view_budget", "cash-coin"),
    )


@login_required
@permission_required("plan.add_task", raise_exception=True)
def task_create_view(request):
    form = TaskForm(request.POST or None, initial={"measure": request.GET.get("measure")})

    def save(form):
        c = form.cleaned_data
        return services.task_create(
            actor=request.user,
            measure=c["measure"],
            title=c["title"],
            description=c["description"],
            owner=c["owner"],
            supporting=c["supporting"],
            indicator=c["indicator"],
            target=c["target"],
            target_value=c["target_value"],
            evidence=c["evidence"],
            milestones=form.milestones(),
        )

    return form_page(
        request,
        form,
        title="新建任务",
        cancel="plan:task_list",
        save=save,
        done=lambda task: reverse("plan:task_detail", args=[task.pk]),
        message="任务已创建，本季度进展报告已开启",
    )


@login_required
def task_update_view(request, pk: int):
    task = selectors.task_for_edit(user=request.user, pk=pk)
    form = TaskEditForm(request.POST or None, task=task)

    def save(form):
        c = form.cleaned_data
        return services.task_update(
            actor=request.user,
            task=task,
            description=c["description"],
            target=c["target"],
            target_value=c["target_value"],
            evidence=c["evidence"],
            milestones=form.milestones(),
        )

    return form_page(
        request,
        form,
        title="修改任务：%s" % task.title,
        cancel="plan:task_list",
        save=save,
        done=lambda t: reverse("plan:task_detail", args=[t.pk]),
        message="任务已修改",
    )


def _indicator_figure(user, code: str):
    """The dashboard's figure for the task's indicator, read through the stats selectors."""
    if not code or not user.has_perm("stats.view_dashboard"):
        return None
    from gongjiang.stats.selectors import dashboard

    try:
        return dashboard(user=user).indicator(code)
    except StopIteration:
        return None


@login_required
def task_detail_view(request, pk: int):
    task = selectors.task_detail(user=request.user, pk=pk)
    today = timezone.localdate()
    [task] = selectors.tasks_with_state(
        user=request.user, today=today, queryset=selectors.task_list(user=request.user).filter(pk=pk)
    )
    return render(
        request,
        "plan/task_detail.html",
        {
            "title": task.title,
            "task": task,
            "today": today,
            "milestones": list(task.milestones.all()),
            "reports": task.scoped_reports,
            "supervisions": list(selectors.supervision_list(user=request.user).filter(task=task)),
            "indicator": _indicator_figure(request.user, task.indicator),
            "can_edit": "change" in may(request.user, task, "change")
            and (request.user.role != "department" or task.owner_id == request.user.organisation_id),
        },
    )


REPORT_STEPS = ("accept", "return")


def _report_context(request, report, form=None) -> dict:
    user = request.user
    can_report = report.status in (ReportStatus.DUE, ReportStatus.RETURNED) and "change" in may(
        user, report, "change"
    )
    return {
        "title": str(report),
        "report": report,
        "today": timezone.localdate(),
        "form": form or (ReportForm(report=report) if can_report else None),
        "steps": permitted_steps(REPORT_WORKFLOW, report, user, REPORT_STEPS),
        "events": history(report),
    }


@login_required
def report_detail_view(request, pk: int):
    """The report's page; a POST from the owner department hands it in (or again after 补正)."""
    report = selectors.report_detail(user=request.user, pk=pk)
    if request.method != "POST":
        return render(request, "plan/report_detail.html", _report_context(request, report))
    if "change" not in may(request.user, report, "change"):
        raise Http404
    form = ReportForm(request.POST, request.FILES, report=report)
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.report_submit(
                actor=request.user,
                report=report,
                text=c["text"],
                figure=c["figure"],
                milestone=c["milestone"],
                files=c["files"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "进展报告已报送，等待市级审核")
            return redirect("plan:report_detail", pk=pk)
    context = _report_context(request, selectors.report_detail(user=request.user, pk=pk), form=form)
    return render(request, "plan/report_detail.html", context, status=422)


@login_required
@require_POST
def report_step_view(request, pk: int, action: str):
    if action not in REPORT_STEPS:
        raise Http404
    report = selectors.report_detail(user=request.user, pk=pk)
    return step_post(
        request,
        REPORT_WORKFLOW,
        action,
        lambda reason, files: services.report_review(
            actor=request.user, report=report, action=action, reason=reason
        ),
        reverse("plan:report_detail", args=[pk]),
    )


class SupervisionListView(ObjectListView):
    title = "督办"
    table_class = SupervisionTable
    filterset_class = SupervisionFilterSet
    view_permission = "plan.view_supervision"
    export_permission = "plan.view_supervision"
    export_name = "督办"
    selector = staticmethod(selectors.supervision_list)
    extra_actions = (("任务矩阵", "plan:matrix", "plan.view_task", "grid-3x3"),)


SUPERVISION_STEPS = ("reply", "close", "return")


@login_required
def supervision_detail_view(request, pk: int):
    supervision = selectors.supervision_detail(user=request.user, pk=pk)
    return render(
        request,
        "plan/supervision_detail.html",
        {
            "title": str(supervision),
            "supervision": supervision,
            "steps": permitted_steps(SUPERVISION_WORKFLOW, supervision, request.user, SUPERVISION_STEPS),
            "events": history(supervision),
        },
    )


@login_required
@require_POST
def supervision_step_view(request, pk: int, action: str):
    if action not in SUPERVISION_STEPS:
        raise Http404
    supervision = selectors.supervision_detail(user=request.user, pk=pk)
    return step_post(
        request,
        SUPERVISION_WORKFLOW,
        action,
        lambda reason, files: services.supervision_step(
            actor=request.user, supervision=supervision, action=action, reason=reason, files=files
        ),
        reverse("plan:supervision_detail", args=[pk]),
    )


@login_required
@permission_required("plan.view_budget", raise_exception=True)
def funding_view(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    view = selectors.funding_execution(user=request.user, year=year)
    rows = [
        (m, [view.cells.get((s.pk, m.number)) for s in view.sources], execution)
        for m, execution in view.by_measure
    ]
    return render(
        request,
        "plan/funding.html",
        {
            "title": "资金保障",
            "view": view,
            "rows": rows,
            "years": list(range(2026, 2031)),
            "chart": selectors.funding_chart(view),
        },
    )


class SpendingListView(ObjectListView):
    title = "资金支出"
    table_class = SpendingTable
    filterset_class = SpendingFilterSet
    view_permission = "plan.view_spending"
    export_permission = "plan.export_spending"
    export_name = "资金支出"
    selector = staticmethod(selectors.spending_list)
    create_url_name = "plan:spending_create"
    create_permission = "plan.add_spending"
    extra_actions = (
        ("资金执行", "plan:funding", "plan.view_budget", "bar-chart"),
        ("导入支出", "jobs:import_start", "plan.add_spending", "upload"),
    )


@login_required
@permission_required("plan.add_budget", raise_exception=True)
def budget_create_view(request):
    form = BudgetForm(request.POST or None)
    return form_page(
        request,
        form,
        title="设置年度预算",
        cancel="plan:funding",
        save=lambda f: services.budget_set(actor=request.user, **f.cleaned_data),
        done=lambda b: reverse("plan:funding") + "?year=%d" % b.year,
        message="预算已保存",
    )


@login_required
@permission_required("plan.add_spending", raise_exception=True)
def spending_create_view(request):
    form = SpendingForm(request.POST or None)
    return form_page(
        request,
        form,
        title="录入资金支出",
        cancel="plan:spending_list",
        save=lambda f: services.spending_add(actor=request.user, **f.cleaned_data),
        done=lambda s: reverse("plan:spending_list"),
        message="支出已录入",
    )


@login_required
@permission_required("plan.add_spending", raise_exception=True)
def spending_reverse_view(request, pk: int):
    spending = selectors.spending_detail(user=request.user, pk=pk)
    form = SpendingReverseForm(request.POST or None)
    return form_page(
        request,
        form,
        title="冲销支出：%s %s %s 元（%s）"
        % (spending.spent_on.isoformat(), spending.source, spending.amount, spending.description),
        cancel="plan:spending_list",
        save=lambda f: services.spending_reverse(
            actor=request.user, spending=spending, reason=f.cleaned_data["reason"]
        ),
        done=lambda _row: reverse("plan:spending_list"),
        message="已冲销该支出，冲销记录已列入支出明细",
    )


@login_required
@require_POST
@permission_required("plan.add_spending", raise_exception=True)
def funding_sync_view(request):
    made = services.spending_sync_benefits()
    messages.success(request, "已同步人才待遇发放记录 %d 条" % made)
    return redirect("plan:funding")
