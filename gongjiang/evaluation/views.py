"""Pages of skill evaluation: thin views over selectors and services."""

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
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.forms import apply_validation_error
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page
from gongjiang.talents.models import Person
from gongjiang.workflow.base import Workflow
from gongjiang.workflow.selectors import history, permitted_steps

from .choices import BatchStatus, FilingStatus
from .filters import AppointmentFilterSet, BatchFilterSet, CandidateFilterSet, FilingFilterSet
from .forms import AppointmentForm, BatchForm, CandidateAddForm, FilingForm, ResultsForm
from .models import Batch, Candidate, Filing
from .selectors import appointment_detail as appointment_detail_selector
from .selectors import appointment_list, batch_detail, batch_list, candidate_list, filing_list
from .selectors import filing_detail as filing_detail_selector
from .services import (
    appointment_create,
    appointment_transition,
    batch_create,
    batch_results_record,
    batch_transition,
    batch_update,
    candidate_add,
    candidate_remove,
    filing_create,
    filing_transition,
    filing_update,
)
from .tables import AppointmentTable, BatchTable, CandidateTable, FilingTable
from .workflows import APPOINTMENT_WORKFLOW, BATCH_WORKFLOW, FILING_WORKFLOW

# The steps offered as buttons on each detail page (a filing's own correction is its edit page).
BUTTONS = {
    "filing": ("approve", "reject", "suspend", "resume", "withdraw"),
    "batch": ("report", "return", "publish", "cancel"),
    "appointment": ("confirm", "return", "end"),
}
DONE = {
    "approve": "已审核通过",
    "reject": "已退回",
    "suspend": "已暂停",
    "resume": "已恢复",
    "withdraw": "已撤销备案",
    "report": "结果已上报，等待市级审核",
    "return": "已退回",
    "publish": "已公布结果并发证",
    "cancel": "批次已取消",
    "confirm": "已备案并发证",
    "end": "已解聘，证书已撤销",
}


def _moves(obj, workflow: Workflow, user) -> list[dict]:
    """The workflow buttons ``user`` may press on ``obj`` now (the declared state and the one scope
    rule both allow; a review step is not offered to the one who submitted)."""
    return [
        {"action": t.name, "label": t.label, "reason": t.reason}
        for t in permitted_steps(workflow, obj, user, BUTTONS[workflow.key])
    ]


def _can(obj, user, action: str) -> bool:
    return action in may(user, obj, action)


def _move_target(request, workflow: Workflow, pk: int, action: str):
    """The row a workflow button acts on, in scope for the permission that step needs (else 404)."""
    if action not in BUTTONS[workflow.key]:
        raise Http404
    step = workflow.transitions[action]
    return get_scoped_or_404(workflow.model.objects.all(), request.user, step.permission_for(None), pk=pk)


def _run_move(request, action: str, step) -> None:
    """Run a workflow step; a refusal is shown as the service phrased it."""
    try:
        step(request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, DONE[action])


class EvaluationListView(ObjectListView):
    template_name = "evaluation/list.html"


# ---------------------------------------------------------------------------------------------
# Filings


class FilingListView(EvaluationListView):
    title = "评价机构备案"
    table_class = FilingTable
    filterset_class = FilingFilterSet
    view_permission = "evaluation.view_filing"
    export_permission = "evaluation.export_filing"
    export_name = "评价机构备案"
    create_url_name = "evaluation:filing_create"
    create_permission = "evaluation.add_filing"
    selector = staticmethod(filing_list)
    extra_actions = (("批量导入", "jobs:import_start", "evaluation.add_filing"),)


@login_required
def filing_detail(request, pk: int):
    filing = filing_detail_selector(user=request.user, pk=pk)
    batches = batch_list(user=request.user).filter(filing=filing)
    context = {
        "filing": filing,
        "moves": _moves(filing, FILING_WORKFLOW, request.user),
        "can_edit": filing.status in (FilingStatus.SUBMITTED, FilingStatus.REJECTED)
        and _can(filing, request.user, "change"),
        "batch_table": BatchTable(batches[:50], exclude=("institution",)),
        "batch_count": batches.count(),
        "events": history(filing),
        "title": str(filing),
    }
    return render(request, "evaluation/filing_detail.html", context)


@login_required
@permission_required("evaluation.add_filing", raise_exception=True)
def filing_create_view(request):
    return form_page(
        request,
        FilingForm(request.POST or None, user=request.user),
        title="评价机构备案",
        cancel="evaluation:filing_list",
        save=lambda form: filing_create(actor=request.user, data=form.to_data()),
        done=lambda filing: reverse("evaluation:filing_detail", args=[filing.pk]),
        message="备案已提交，等待市级审核",
    )


@login_required
def filing_update_view(request, pk: int):
    filing = get_scoped_or_404(Filing.objects.select_related("organisation"), request.user, "change", pk=pk)
    return form_page(
        request,
        FilingForm(request.POST or None, instance=filing, user=request.user),
        title="修改备案：%s" % filing.organisation.name,
        cancel="evaluation:filing_list",
        save=lambda form: filing_update(actor=request.user, filing=filing, data=form.to_data()),
        done=lambda saved: reverse("evaluation:filing_detail", args=[filing.pk]),
        message="备案已修改并重新提交审核",
    )


@login_required
@require_POST
def filing_transition_view(request, pk: int, action: str):
    filing = _move_target(request, FILING_WORKFLOW, pk, action)
    _run_move(
        request,
        action,
        lambda reason: filing_transition(actor=request.user, filing=filing, action=action, reason=reason),
    )
    return redirect("evaluation:filing_detail", pk=filing.pk)


# ---------------------------------------------------------------------------------------------
# Batches and candidates


class BatchListView(EvaluationListView):
    title = "认定批次"
    table_class = BatchTable
    filterset_class = BatchFilterSet
    view_permission = "evaluation.view_batch"
    export_permission = "evaluation.export_batch"
    export_name = "认定批次"
    create_url_name = "evaluation:batch_create"
    create_permission = "evaluation.add_batch"
    selector = staticmethod(batch_list)
    extra_actions = (("导入考生与结果", "jobs:import_start", "evaluation.change_batch"),)


class CandidateListView(EvaluationListView):
    title = "考生与结果"
    table_class = CandidateTable
    filterset_class = CandidateFilterSet
    view_permission = "evaluation.view_candidate"
    export_permission = "evaluation.export_candidate"
    export_name = "考生与结果"
    selector = staticmethod(candidate_list)


def _batch_context(request, batch: Batch, add_form: CandidateAddForm | None = None) -> dict:
    user = request.user
    can_change = _can(batch, user, "change")
    candidates = list(batch.candidates.all())
    visible = set(
        Person.objects.filter(pk__in=[c.person_id for c in candidates])
        .for_user(user)
        .values_list("pk", flat=True)
    )
    planned = batch.status == BatchStatus.PLANNED
    return {
        "batch": batch,
        "candidates": candidates,
        "visible_persons": visible,
        "moves": _moves(batch, BATCH_WORKFLOW, user),
        "can_edit": can_change and planned,
        "can_add": can_change and planned,
        "can_record": can_change
        and batch.status in (BatchStatus.PLANNED, BatchStatus.RETURNED)
        and batch.exam_date <= timezone.localdate(),
        "add_form": add_form or CandidateAddForm(),
        "passed": sum(1 for c in candidates if c.passed),
        "events": history(batch),
        "title": str(batch),
    }


@login_required
def batch_detail_view(request, pk: int):
    batch = batch_detail(user=request.user, pk=pk)
    return render(request, "evaluation/batch_detail.html", _batch_context(request, batch))


@login_required
@permission_required("evaluation.add_batch", raise_exception=True)
def batch_create_view(request):
    return form_page(
        request,
        BatchForm(request.POST or None),
        title="制定认定计划",
        cancel="evaluation:batch_list",
        save=lambda form: batch_create(actor=request.user, data=form.to_data()),
        done=lambda batch: reverse("evaluation:batch_detail", args=[batch.pk]),
        message=lambda batch: "已制定认定批次 %s，请添加考生" % batch.code,
    )


@login_required
def batch_update_view(request, pk: int):
    batch = get_scoped_or_404(Batch.objects.all(), request.user, "change", pk=pk)
    return form_page(
        request,
        BatchForm(request.POST or None, instance=batch),
        title="修改认定批次 %s" % batch.code,
        cancel="evaluation:batch_list",
        save=lambda form: batch_update(actor=request.user, batch=batch, data=form.to_data()),
        done=lambda saved: reverse("evaluation:batch_detail", args=[batch.pk]),
    )


@login_required
@require_POST
def batch_transition_view(request, pk: int, action: str):
    batch = _move_target(request, BATCH_WORKFLOW, pk, action)
    _run_move(
        request,
        action,
        lambda reason: batch_transition(actor=request.user, batch=batch, action=action, reason=reason),
    )
    return redirect("evaluation:batch_detail", pk=batch.pk)


@login_required
@require_POST
def candidate_add_view(request, pk: int):
    batch = get_scoped_or_404(Batch.objects.all(), request.user, "change", pk=pk)
    form = CandidateAddForm(request.POST)
    if form.is_valid():
        try:
            candidate = candidate_add(
                actor=request.user, batch=batch, id_number=form.cleaned_data["id_number"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已添加考生 %s" % candidate.person.name)
            return redirect("evaluation:batch_detail", pk=batch.pk)
    batch = batch_detail(user=request.user, pk=pk)
    return render(request, "evaluation/batch_detail.html", _batch_context(request, batch, form), status=422)


@login_required
@require_POST
def candidate_remove_view(request, pk: int):
    candidate = get_scoped_or_404(Candidate.objects.select_related("person"), request.user, "view", pk=pk)
    get_scoped_or_404(Batch.objects.all(), request.user, "change", pk=candidate.batch_id)
    try:
        candidate_remove(actor=request.user, candidate=candidate)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已移除考生 %s" % candidate.person.name)
    return redirect("evaluation:batch_detail", pk=candidate.batch_id)


@login_required
def batch_results_view(request, pk: int):
    batch = get_scoped_or_404(
        Batch.objects.select_related("occupation", "level"), request.user, "change", pk=pk
    )
    candidates = list(batch.candidates.select_related("person").order_by("id"))
    form = ResultsForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            changed = batch_results_record(actor=request.user, batch=batch, results=form.results())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存考核结果（%d 名考生有变化）" % changed)
            return redirect("evaluation:batch_detail", pk=batch.pk)
    return render(
        request,
        "evaluation/batch_results.html",
        {"batch": batch, "form": form, "title": "录入考核结果：%s" % batch},
        status=422 if form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Appointments


class AppointmentListView(EvaluationListView):
    title = "特级技师、首席技师评聘"
    table_class = AppointmentTable
    filterset_class = AppointmentFilterSet
    view_permission = "evaluation.view_appointment"
    export_permission = "evaluation.export_appointment"
    export_name = "评聘"
    create_url_name = "evaluation:appointment_create"
    create_permission = "evaluation.add_appointment"
    selector = staticmethod(appointment_list)


@login_required
def appointment_detail(request, pk: int):
    appointment = appointment_detail_selector(user=request.user, pk=pk)
    context = {
        "appointment": appointment,
        "moves": _moves(appointment, APPOINTMENT_WORKFLOW, request.user),
        "person_visible": Person.objects.filter(pk=appointment.person_id).for_user(request.user).exists(),
        "events": history(appointment),
        "title": str(appointment),
    }
    return render(request, "evaluation/appointment_detail.html", context)


@login_required
@permission_required("evaluation.add_appointment", raise_exception=True)
def appointment_create_view(request):
    return form_page(
        request,
        AppointmentForm(request.POST or None),
        title="特级技师、首席技师聘任",
        cancel="evaluation:appointment_list",
        save=lambda form: appointment_create(actor=request.user, data=form.to_data()),
        done=lambda appointment: reverse("evaluation:appointment_detail", args=[appointment.pk]),
        message=lambda appointment: "已提交%s聘任，等待市级备案" % appointment.level.name,
    )


@login_required
@require_POST
def appointment_transition_view(request, pk: int, action: str):
    appointment = _move_target(request, APPOINTMENT_WORKFLOW, pk, action)
    _run_move(
        request,
        action,
        lambda reason: appointment_transition(
            actor=request.user, appointment=appointment, action=action, reason=reason
        ),
    )
    return redirect("evaluation:appointment_detail", pk=appointment.pk)
