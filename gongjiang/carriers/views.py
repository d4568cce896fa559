"""Pages of training carriers: thin views over selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from gongjiang.accounts.scope import may
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.forms import apply_validation_error, bootstrapify
from gongjiang.common.listing import ListPaginator, ObjectListView
from gongjiang.common.views import form_page
from gongjiang.workflow.base import Transition
from gongjiang.workflow.forms import StepForm
from gongjiang.workflow.selectors import history
from gongjiang.workflow.views import todo_page

from . import services
from .choices import CarrierStatus
from .filters import CarrierFilterSet, CatalogueFilterSet
from .forms import AssessForm, CarrierForm, RecogniseForm, RevokeForm, ScoreForm
from .models import Carrier
from .selectors import (
    TARGET_END,
    TARGET_GOAL,
    TARGET_START,
    carrier_catalogue,
    carrier_detail,
    carrier_list,
    carrier_rules,
    carriers_toward_target_count,
)
from .tables import CarrierTable, CatalogueTable
from .workflows import CARRIER_WORKFLOW


class CarrierListView(ObjectListView):
    title = "培养载体"
    table_class = CarrierTable
    filterset_class = CarrierFilterSet
    view_permission = "carriers.view_carrier"
    export_permission = "carriers.export_carrier"
    export_name = "培养载体"
    create_url_name = "carriers:carrier_create"
    create_permission = "carriers.add_carrier"
    selector = staticmethod(carrier_list)
    extra_actions = (
        ("待办/逾期", "carriers:carrier_todo", "carriers.view_carrier", "list-check"),
        ("规则", "carriers:carrierrule_list", "carriers.view_carrier", "sliders"),
        ("公开目录", "carriers:carrier_catalogue", "carriers.view_carrier", "globe"),
        ("导入已认定载体", "jobs:import_start", "carriers.recognise_carrier"),
    )


def _target_context() -> dict:
    return {
        "target_count": carriers_toward_target_count(),
        "target_goal": TARGET_GOAL,
        "target_start": TARGET_START,
        "target_end": TARGET_END,
    }


class CarrierCatalogueView(SingleTableMixin, FilterView):
    """The public catalogue of recognised carriers: no login."""

    template_name = "carriers/catalogue.html"
    table_class = CatalogueTable
    filterset_class = CatalogueFilterSet
    paginator_class = ListPaginator  # the page size capped, bad page numbers the first page
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return carrier_catalogue()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bootstrapify(context["filter"].form, small=True)
        context.update(_target_context(), title="高技能人才培养载体目录")
        return context


@login_required
@permission_required("carriers.view_carrier", raise_exception=True)
def carrier_todo_view(request):
    return todo_page(request, workflow_key="carrier", title="培养载体待办")


@login_required
@permission_required("carriers.view_carrier", raise_exception=True)
def carrierrule_list(request):
    return render(
        request,
        "carriers/carrierrule_list.html",
        {
            "rules": carrier_rules(),
            "can_edit": request.user.has_perm("core.change_refdata"),
            "title": "培养载体规则",
        },
    )


# --- declaration -----------------------------------------------------------------------------


@login_required
@permission_required("carriers.add_carrier", raise_exception=True)
def carrier_create_view(request):
    return form_page(
        request,
        CarrierForm(request.POST or None, request.FILES or None, user=request.user),
        title="申报培养载体",
        cancel="carriers:carrier_list",
        save=lambda form: services.carrier_declare(
            actor=request.user, data=form.to_data(), files=form.cleaned_data["files"]
        ),
        done=lambda carrier: reverse("carriers:carrier_detail", args=[carrier.pk]),
        message=lambda carrier: "已提交申报：%s，等待县区初审" % carrier.name,
    )


@login_required
def carrier_update_view(request, pk: int):
    carrier = get_scoped_or_404(Carrier.objects.select_related("leader"), request.user, "change", pk=pk)
    if carrier.status != CarrierStatus.RETURNED:
        messages.error(request, "只有退回补正的申报可以修改（当前状态：%s）" % carrier.get_status_display())
        return redirect("carriers:carrier_detail", pk=pk)
    return form_page(
        request,
        CarrierForm(request.POST or None, request.FILES or None, user=request.user, instance=carrier),
        title="补正申报材料：%s" % carrier.name,
        cancel="carriers:carrier_list",
        save=lambda form: services.carrier_update(
            actor=request.user, carrier=carrier, data=form.to_data(), files=form.cleaned_data["files"]
        ),
        done=lambda saved: reverse("carriers:carrier_detail", args=[pk]),
        message="已保存补正内容；确认无误后请点击“重新提交”",
    )


# --- the steps on the detail page ------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One action on the detail page: the declared transition it takes (its permission, source
    statuses and whether it takes files come from there), its form, the service it calls, and what
    the user is told afterwards."""

    transition: str
    form: Callable[..., object]
    run: Callable[..., object]
    done: str

    @property
    def declared(self) -> Transition:
        return CARRIER_WORKFLOW.transitions[self.transition]

    def action_for(self, carrier: Carrier) -> str:
        return self.declared.permission_for(carrier)


def _note_form(label: str, prefix: str, transition: str):
    def make(data=None, files=None, carrier=None):
        form = StepForm(
            data,
            files,
            label=label,
            attachments=CARRIER_WORKFLOW.transitions[transition].attachments,
            prefix=prefix,
        )
        bootstrapify(form, small=True)
        return form

    return make


def _files(c: dict) -> list:
    return c.get("files") or []


STEPS: dict[str, Step] = {
    "resubmit": Step(
        "resubmit",
        _note_form("补正说明", "resubmit", "resubmit"),
        lambda actor, carrier, c: services.carrier_resubmit(
            actor=actor, carrier=carrier, note=c["note"], files=_files(c)
        ),
        "已重新提交",
    ),
    "pass": Step(
        "county_pass",
        _note_form("初审意见", "pass", "county_pass"),
        lambda actor, carrier, c: services.carrier_county_pass(
            actor=actor, carrier=carrier, note=c["note"], files=_files(c)
        ),
        "县区初审通过，已转市级评审",
    ),
    "return": Step(
        "return",
        _note_form("需要补正的内容", "return", "return"),
        lambda actor, carrier, c: services.carrier_return(
            actor=actor, carrier=carrier, note=c["note"], files=_files(c)
        ),
        "已退回补正",
    ),
    "reject": Step(
        "reject",
        _note_form("不予通过的理由", "reject", "reject"),
        lambda actor, carrier, c: services.carrier_reject(
            actor=actor, carrier=carrier, note=c["note"], files=_files(c)
        ),
        "已作出不予通过的决定",
    ),
    "score": Step(
        "score",
        lambda data=None, files=None, carrier=None: ScoreForm(data, prefix="score"),
        lambda actor, carrier, c: services.carrier_score_add(
            actor=actor, carrier=carrier, expert_name=c["expert_name"], score=c["score"]
        ),
        "已录入专家评分",
    ),
    "recognise": Step(
        "recognise",
        lambda data=None, files=None, carrier=None: RecogniseForm(data, carrier=carrier, prefix="recognise"),
        lambda actor, carrier, c: services.carrier_recognise(
            actor=actor,
            carrier=carrier,
            level=c["level"],
            on=c["recognised_on"],
            grant_amount=c["grant_amount"],
            note=c["note"],
        ),
        "已认定",
    ),
    "assess": Step(
        "assess",
        lambda data=None, files=None, carrier=None: AssessForm(data, carrier=carrier, prefix="assess"),
        lambda actor, carrier, c: services.carrier_assess(
            actor=actor, carrier=carrier, year=c["year"], result=c["result"], note=c["note"]
        ),
        "已记录年度考核结果",
    ),
    "upgrade": Step(
        "upgrade",
        lambda data=None, files=None, carrier=None: RecogniseForm(
            data, carrier=carrier, upgrade=True, prefix="upgrade"
        ),
        lambda actor, carrier, c: services.carrier_upgrade(
            actor=actor,
            carrier=carrier,
            level=c["level"],
            on=c["recognised_on"],
            grant_amount=c["grant_amount"],
            note=c["note"],
        ),
        "已登记升级",
    ),
    "revoke": Step(
        "revoke",
        lambda data=None, files=None, carrier=None: RevokeForm(data, prefix="revoke"),
        lambda actor, carrier, c: services.carrier_revoke(
            actor=actor, carrier=carrier, reason=c["reason"], on=c["revoked_on"]
        ),
        "已撤销",
    ),
}


def _detail_context(request, carrier: Carrier, bound: tuple[str, object] | None = None) -> dict:
    """The carrier with its timeline, and a form for each step the user may take now."""
    user = request.user
    own = carrier.declared_by_id == user.pk
    permitted = may(user, carrier, *{step.action_for(carrier) for step in STEPS.values()})
    forms = {}
    for name, step in STEPS.items():
        if own and step.declared.review:
            continue  # nobody reviews their own declaration (the services refuse it too)
        if carrier.status in step.declared.sources and step.action_for(carrier) in permitted:
            forms[name] = step.form(carrier=carrier)
    if bound is not None:
        forms[bound[0]] = bound[1]
    scores = [s for s in carrier.scores.all() if s.round == carrier.city_round]
    return {
        "carrier": carrier,
        "events": history(carrier),
        "scores": scores,
        "score_mean": services.score_mean(carrier) if scores else None,
        "assessments": list(carrier.assessments.all()),
        "forms": forms,
        "open_step": bound[0] if bound else "",
        "can_update": carrier.status == CarrierStatus.RETURNED and "change" in permitted,
        "own_declaration": own and carrier.status in (CarrierStatus.COUNTY_REVIEW, CarrierStatus.CITY_REVIEW),
    }


@login_required
def carrier_detail_view(request, pk: int):
    carrier = carrier_detail(user=request.user, pk=pk)
    return render(request, "carriers/carrier_detail.html", _detail_context(request, carrier))


@login_required
@require_POST
def carrier_step_view(request, pk: int, step: str):
    """Take one step on a carrier. Outside the user's scope for that step: 404 (and audited)."""
    definition = STEPS[step]
    carrier = get_scoped_or_404(Carrier.objects.all(), request.user, "view", pk=pk)
    carrier = get_scoped_or_404(Carrier.objects.all(), request.user, definition.action_for(carrier), pk=pk)
    form = definition.form(request.POST, request.FILES, carrier=carrier)
    if form.is_valid():
        try:
            definition.run(request.user, carrier, form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, definition.done)
            return redirect("carriers:carrier_detail", pk=pk)
    carrier = carrier_detail(user=request.user, pk=pk)
    context = _detail_context(request, carrier, bound=(step, form))
    return render(request, "carriers/carrier_detail.html", context, status=422)
