"""Pages of the targets dashboard (驾驶舱): thin views over ``selectors.dashboard``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongjiang.accounts.services import audit_record
from gongjiang.common.excel import attachment_header
from gongjiang.common.forms import apply_validation_error, bootstrapify

from .forms import OfficialTotalForm, TargetSplitForm
from .models import OfficialTotal, TargetSplit
from .reports import report_sheets, write_report_xlsx
from .selectors import NOT_CONNECTED, dashboard
from .services import aggregates_refresh_manual, official_total_save, target_split_save


def _context(request, board, title: str) -> dict:
    user = request.user
    return {
        "board": board,
        "title": title,
        "not_connected": NOT_CONNECTED,
        "can_refresh": user.has_perm("stats.refresh_tally"),
        "can_drill": user.has_perm("talents.view_person"),
        "can_view_official": user.has_perm("stats.view_officialtotal"),
        "can_view_splits": user.has_perm("stats.view_targetsplit"),
        "region_query": f"?region={board.region.code}" if board.region and board.regions_choice else "",
    }


@login_required
@permission_required("stats.view_dashboard", raise_exception=True)
def dashboard_view(request):
    board = dashboard(user=request.user, region=request.GET.get("region"))
    return render(request, "stats/dashboard.html", _context(request, board, "目标驾驶舱"))


@login_required
@permission_required("stats.view_dashboard", raise_exception=True)
def report_print_view(request):
    board = dashboard(user=request.user, region=request.GET.get("region"), with_plan=True)
    context = _context(request, board, "高技能人才工作季度报告")
    context["sheets"] = report_sheets(board)
    return render(request, "stats/report_print.html", context)


@login_required
@permission_required("stats.view_dashboard", raise_exception=True)
def report_xlsx_view(request):
    board = dashboard(user=request.user, region=request.GET.get("region"), with_plan=True)
    handle = write_report_xlsx(board)
    audit_record(
        actor=request.user,
        action="export",
        object_type="stats.tally",
        changes={
            "report": "quarterly",
            "region": board.region.code if board.region else "",
            "format": "xlsx",
        },
    )
    name = f"高技能人才工作季度报告-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Content-Disposition"] = attachment_header(name)
    return response


@login_required
@require_POST
@permission_required("stats.refresh_tally", raise_exception=True)
def refresh_view(request):
    if aggregates_refresh_manual(actor=request.user):
        messages.success(request, "已提交后台刷新统计数据，通常几分钟内完成，完成后“数据截至”时间会更新")
    else:
        messages.info(request, "统计数据已在排队刷新，请稍后查看")
    return redirect("stats:dashboard")


@login_required
@permission_required("stats.view_officialtotal", raise_exception=True)
def officialtotal_list_view(request):
    user = request.user
    can_change = user.has_perm("stats.change_officialtotal")
    form = None
    if can_change:
        form = OfficialTotalForm(request.POST or None)
        bootstrapify(form)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                total = official_total_save(
                    actor=user,
                    region_id=data["region"].code,
                    year=data["year"],
                    skilled_workers=data["skilled_workers"],
                    source=data["source"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    "已保存%(region)s %(year)d年技能劳动者官方统计数"
                    % {"region": total.region, "year": total.year},
                )
                return redirect("stats:officialtotal_list")
    elif request.method == "POST":
        raise PermissionDenied
    totals = OfficialTotal.objects.for_user(user).select_related("region", "updated_by")
    return render(
        request,
        "stats/officialtotal_list.html",
        {"title": "技能劳动者官方统计数", "totals": totals, "form": form},
        status=422 if form is not None and form.errors else 200,
    )


@login_required
@permission_required("stats.view_targetsplit", raise_exception=True)
def targetsplit_list_view(request):
    """The city's count targets split by county: the city admin enters them, others read theirs."""
    user = request.user
    form = None
    if user.has_perm("stats.change_targetsplit"):
        form = TargetSplitForm(request.POST or None)
        bootstrapify(form)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                split = target_split_save(
                    actor=user, target=data["target"], region_id=data["region"].code, goal=data["goal"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    "已保存%(region)s的%(target)s分解目标"
                    % {"region": split.region, "target": split.get_target_display()},
                )
                return redirect("stats:targetsplit_list")
    elif request.method == "POST":
        raise PermissionDenied
    splits = TargetSplit.objects.for_user(user).select_related("region", "updated_by")
    return render(
        request,
        "stats/targetsplit_list.html",
        {"title": "目标分解到县区", "splits": splits, "form": form},
        status=422 if form is not None and form.errors else 200,
    )
