"""Pages of honours: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongjiang.accounts.choices import Role
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page
from gongjiang.workflow.selectors import history, permitted_steps

from .filters import HonourAwardFilterSet, NominationFilterSet
from .forms import NominationForm, SelectionRoundForm
from .models import Nomination, SelectionRound
from .selectors import award_list, honour_titles, nomination_list, round_shares, share_chart
from .services import nomination_create, nomination_transition, round_create
from .tables import HonourAwardTable, NominationTable
from .workflows import NOMINATION_WORKFLOW

BUTTONS = ("shortlist", "return", "object", "select", "reject", "resubmit")
DONE = {
    "shortlist": "已列入公示",
    "return": "已退回补正",
    "object": "已记录公示异议",
    "select": "已确定入选，荣誉已登记",
    "reject": "已确定不予入选",
    "resubmit": "已重新提交",
}


class HonoursListView(ObjectListView):
    template_name = "honours/list.html"


class HonourAwardListView(HonoursListView):
    title = "荣誉登记"
    table_class = HonourAwardTable
    filterset_class = HonourAwardFilterSet
    view_permission = "honours.view_honouraward"
    export_permission = "honours.export_honouraward"
    export_name = "荣誉登记"
    selector = staticmethod(award_list)


class NominationListView(HonoursListView):
    title = "推荐"
    table_class = NominationTable
    filterset_class = NominationFilterSet
    view_permission = "honours.view_nomination"
    selector = staticmethod(nomination_list)


def _region(user) -> str | None:
    return user.region_id if user.role == Role.REGION_OPERATOR else None


@login_required
@permission_required("honours.view_selectionround", raise_exception=True)
def round_list_view(request):
    """Rounds with the share of high-skilled among nominees and selected, against the previous round
    (a county sees its own nominations' figures)."""
    shares = round_shares(user=request.user, region=_region(request.user))
    context = {
        "shares": shares,
        "charts": {"honours": share_chart(shares)},
        "titles": honour_titles(),
        "can_create": request.user.has_perm("honours.add_selectionround"),
        "title": "表彰与人才项目",
        "own_region": bool(_region(request.user)),
    }
    return render(request, "honours/round_list.html", context)


@login_required
@permission_required("honours.add_selectionround", raise_exception=True)
def round_create_view(request):
    return form_page(
        request,
        SelectionRoundForm(request.POST or None),
        title="发起评选",
        cancel="honours:round_list",
        save=lambda form: round_create(actor=request.user, selection_round=form.save(commit=False)),
        done=lambda rnd: reverse("honours:round_detail", args=[rnd.pk]),
    )


@login_required
def round_detail(request, pk: int):
    rnd = get_scoped_or_404(SelectionRound.objects.select_related("title"), request.user, "view", pk=pk)
    share = next(
        (s for s in round_shares(user=request.user, region=_region(request.user)) if s.round.pk == rnd.pk),
        None,
    )
    nominations = (
        nomination_list(user=request.user).filter(round=rnd)
        if request.user.has_perm("honours.view_nomination")
        else []
    )
    context = {
        "round": rnd,
        "share": share,
        "nominations": nominations,
        "can_nominate": request.user.has_perm("honours.add_nomination"),
        "title": rnd.name,
    }
    return render(request, "honours/round_detail.html", context)


@login_required
def nomination_create_view(request, pk: int):
    rnd = get_scoped_or_404(SelectionRound.objects.select_related("title"), request.user, "view", pk=pk)
    if not request.user.has_perm("honours.add_nomination"):
        raise PermissionDenied
    return form_page(
        request,
        NominationForm(request.POST or None, user=request.user),
        title="推荐：%s" % rnd.name,
        cancel="honours:round_list",
        save=lambda form: nomination_create(actor=request.user, selection_round=rnd, data=form.to_data()),
        done=lambda nomination: reverse("honours:nomination_detail", args=[nomination.pk]),
        message="推荐已提交，等待市级审核",
    )


@login_required
def nomination_detail(request, pk: int):
    nomination = get_scoped_or_404(
        Nomination.objects.select_related(
            "round__title", "person", "nominating_org", "region", "submitted_by"
        ),
        request.user,
        "view",
        pk=pk,
    )
    moves = [
        {"action": t.name, "label": t.label, "reason": t.reason}
        for t in permitted_steps(NOMINATION_WORKFLOW, nomination, request.user, BUTTONS)
    ]
    context = {
        "nomination": nomination,
        "record": nomination.record,
        "moves": moves,
        "events": history(nomination),
        "title": str(nomination),
    }
    return render(request, "honours/nomination_detail.html", context)


@login_required
@require_POST
def nomination_transition_view(request, pk: int, action: str):
    if action not in BUTTONS:
        raise Http404
    step = NOMINATION_WORKFLOW.transitions[action]
    nomination = get_scoped_or_404(Nomination.objects.all(), request.user, step.permission_for(None), pk=pk)
    try:
        nomination_transition(
            actor=request.user, nomination=nomination, action=action, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, DONE[action])
    return redirect("honours:nomination_detail", pk=pk)
