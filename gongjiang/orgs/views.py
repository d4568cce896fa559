"""Pages for organisations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import may
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.listing import ObjectListView
from gongjiang.common.views import form_page
from gongjiang.core.validators import local_today

from .choices import OrgKind
from .filters import OrganisationFilterSet, WageReportFilterSet
from .forms import OrganisationForm, WageReportForm, WageSampleForm
from .models import Organisation, WageReport, WageSample
from .selectors import (
    minimum_annual_wage,
    organisation_list,
    wage_compliance,
    wage_report_list,
    wage_report_years,
    wage_sample_list,
    wage_short_list,
    with_growth,
)
from .services import (
    WAGE_FIELDS,
    organisation_create,
    organisation_update,
    wage_report_save,
    wage_sample_draw,
)
from .tables import OrganisationTable, WageReportTable, percent, percent_plain
from .wages import growth


class OrganisationListView(ObjectListView):
    title = "单位"
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    view_permission = "orgs.view_organisation"
    export_permission = "orgs.export_organisation"
    export_name = "单位"
    create_url_name = "orgs:organisation_create"
    create_permission = "orgs.add_organisation"
    selector = staticmethod(organisation_list)
    extra_actions = (("批量导入", "jobs:import_start", "orgs.add_organisation"),)


@login_required
def organisation_detail(request, pk: int):
    org = get_scoped_or_404(
        Organisation.objects.select_related("region", "domain"), request.user, "view", pk=pk
    )
    context = {
        "org": org,
        "can_edit": Organisation.objects.filter(pk=pk).for_user(request.user, "change").exists(),
        "can_view_wages": request.user.has_perm("orgs.view_wagereport"),
    }
    return render(request, "orgs/organisation_detail.html", context)


@login_required
@permission_required("orgs.add_organisation", raise_exception=True)
def organisation_create_view(request):
    return form_page(
        request,
        OrganisationForm(request.POST or None, user=request.user),
        title="登记单位",
        cancel="orgs:organisation_list",
        save=lambda form: organisation_create(actor=request.user, **form.service_kwargs()),
        done=lambda org: reverse("orgs:organisation_detail", args=[org.pk]),
        message=lambda org: "已登记单位：%s" % org.name,
    )


@login_required
def organisation_update_view(request, pk: int):
    org = get_scoped_or_404(Organisation.objects.all(), request.user, "change", pk=pk)
    return form_page(
        request,
        OrganisationForm(request.POST or None, instance=org, user=request.user),
        title="编辑单位：%s" % org.name,
        cancel="orgs:organisation_list",
        save=lambda form: organisation_update(actor=request.user, organisation=org, **form.service_kwargs()),
        done=lambda saved: reverse("orgs:organisation_detail", args=[org.pk]),
    )


# --- wage reports (措施七) ------------------------------------------------------------------------


class WageReportListView(ObjectListView):
    title = "企业工资报告"
    table_class = WageReportTable
    filterset_class = WageReportFilterSet
    view_permission = "orgs.view_wagereport"
    export_permission = "orgs.export_wagereport"
    export_name = "企业工资报告"
    create_url_name = "orgs:wagereport_create"
    create_permission = "orgs.add_wagereport"
    selector = staticmethod(wage_report_list)
    extra_actions = (
        ("增幅达标情况", "orgs:wage_compliance", "orgs.view_wagesample", "graph-up"),
        ("批量导入", "jobs:import_start", "orgs.import_wagereport"),
    )


def _own_enterprise(user):
    """An organisation user files for its own enterprise only."""
    return user.organisation if user.role == Role.ORG_OPERATOR else None


@login_required
@permission_required("orgs.add_wagereport", raise_exception=True)
def wagereport_create_view(request):
    own = _own_enterprise(request.user)
    if own is not None and own.kind != OrgKind.ENTERPRISE:
        raise PermissionDenied  # only enterprises report wages (a school or institution has none to file)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and own is not None:
        data["organisation"] = own.pk  # never another enterprise, whatever was posted
    form = WageReportForm(data, user=request.user, organisation=own)
    return form_page(
        request,
        form,
        title="报送企业工资情况" + ("：%s" % own.name if own else ""),
        cancel="orgs:wagereport_list",
        save=lambda form: wage_report_save(actor=request.user, **form.service_kwargs()),
        done=lambda report: reverse("orgs:wagereport_detail", args=[report.pk]),
        message=lambda report: "已报送：%s" % report,
    )


@login_required
def wagereport_update_view(request, pk: int):
    report = get_scoped_or_404(
        WageReport.objects.select_related("organisation"), request.user, "change", pk=pk
    )
    initial = {name: getattr(report, name) for name in WAGE_FIELDS}
    initial.update(organisation=report.organisation_id, year=report.year)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None:  # the enterprise and year of a filed report do not change
        data["organisation"], data["year"] = report.organisation_id, report.year
    form = WageReportForm(data, initial=initial, user=request.user, organisation=report.organisation)
    form.fields["year"].disabled = True
    return form_page(
        request,
        form,
        title="修改 %s" % report,
        cancel="orgs:wagereport_list",
        save=lambda form: wage_report_save(actor=request.user, **form.service_kwargs()),
        done=lambda saved: reverse("orgs:wagereport_detail", args=[saved.pk]),
    )


@login_required
def wagereport_detail(request, pk: int):
    report = get_scoped_or_404(
        with_growth(
            WageReport.objects.select_related("organisation", "organisation__region", "submitted_by")
        ),
        request.user,
        "view",
        pk=pk,
    )
    groups = [
        ("职工", report.staff_count, report.staff_avg_wage, report.prev_staff_avg),
        ("技能人才", report.skilled_count, report.skilled_avg_wage, report.prev_skilled_avg),
        ("高技能人才", report.high_skilled_count, report.high_skilled_avg_wage, None),
        ("特级技师、首席技师", report.principal_count, report.principal_avg_wage, None),
        ("正高级职称人员（参照）", report.senior_title_count, report.senior_title_avg_wage, None),
    ]
    context = {
        "report": report,
        "groups": [
            {"label": label, "count": n, "avg": avg, "prev": prev, "growth": percent(growth(avg, prev))}
            for label, n, avg, prev in groups
        ],
        "staff_growth": percent(growth(report.staff_avg_wage, report.prev_staff_avg)),
        "skilled_growth": percent(growth(report.skilled_avg_wage, report.prev_skilled_avg)),
        "has_previous": report.prev_staff_count is not None,
        "minimum": minimum_annual_wage(report.year),
        "can_edit": "change" in may(request.user, report, "change"),
        "history": wage_report_list(user=request.user)
        .filter(organisation=report.organisation)
        .order_by("-year"),
    }
    return render(request, "orgs/wagereport_detail.html", context)


def _compliance_year(request) -> int | None:
    years = wage_report_years(user=request.user)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if year in years:
        return year
    return years[0] if years else None


@login_required
@permission_required("orgs.view_wagesample", raise_exception=True)
def wage_compliance_view(request):
    """技能人才工资增幅: each year's judged, complying and short enterprises, state-owned compared
    separately; the short list for follow-up; random samples of it for inspection."""
    year = _compliance_year(request)
    summary = wage_compliance(user=request.user, year=year) if year else None
    short = (
        WageReportTable(wage_short_list(user=request.user, year=year), exclude=("has_annuity", "year"))
        if year
        else None
    )
    rows, region_rows = _summary_rows(summary) if summary else ([], [])
    context = {
        "title": "技能人才工资增幅达标情况",
        "year": year,
        "years": wage_report_years(user=request.user),
        "summary": summary,
        "rows": rows,
        "region_rows": region_rows,
        "charts": {
            "wages": {
                "by_region": [
                    {
                        "label": g["label"],
                        "judged": g["judged"],
                        "share": g["share"],
                        "url": g["urls"]["judged"],
                    }
                    for g in region_rows
                ]
            }
        },
        "short": short,
        "samples": wage_sample_list(user=request.user).filter(year=year) if year else [],
        "sample_form": WageSampleForm() if request.user.has_perm("orgs.add_wagesample") else None,
    }
    return render(request, "orgs/wage_compliance.html", context)


def _summary_rows(summary: dict) -> tuple[list[dict], list[dict]]:
    """The summary's lines (all, state-owned, other; then each county), each number with the link
    to the reports it counts."""
    base = reverse("orgs:wagereport_list") + "?year=%d" % summary["year"]

    def line(label: str, key: str, group: dict, extra: str) -> dict:
        return {
            "label": label,
            "key": key,
            **group,
            "share_text": percent_plain(group["share"]),
            "urls": {
                "reported": base + extra,
                "judged": base + extra + "&judged=true",
                "complying": base + extra + "&complies=true",
                "short": base + extra + "&complies=false",
                "annuity": base + extra + "&has_annuity=true",
            },
        }

    kinds = [
        line("全部企业", "total", summary["total"], ""),
        line("国有企业", "state_owned", summary["state_owned"], "&is_state_owned=true"),
        line("非国有企业", "other", summary["other"], "&is_state_owned=false"),
    ]
    regions = [
        line(group["name"], code, group, "&region=%s" % code) for code, group in summary["by_region"].items()
    ]
    return kinds, regions


@login_required
@require_POST
def wage_sample_draw_view(request):
    if not request.user.has_perm("orgs.add_wagesample"):
        raise PermissionDenied
    year = _compliance_year(request)
    form = WageSampleForm(request.POST)
    if year is None or not form.is_valid():
        messages.error(request, "请填写 1 至 500 之间的抽取数量")
        return redirect(reverse("orgs:wage_compliance") + ("?year=%d" % year if year else ""))
    try:
        sample = wage_sample_draw(actor=request.user, year=year, size=form.cleaned_data["size"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("orgs:wage_compliance") + "?year=%d" % year)
    messages.success(request, "已从 %d 家未达标企业中随机抽取 %d 家" % (sample.population, sample.size))
    return redirect("orgs:wagesample_detail", pk=sample.pk)


@login_required
def wagesample_detail(request, pk: int):
    sample = get_scoped_or_404(
        WageSample.objects.select_related("drawn_by", "region"), request.user, "view", pk=pk
    )
    reports = WageReportTable(
        wage_report_list(user=request.user).filter(pk__in=sample.reports.values("pk")).order_by("pk"),
        exclude=("has_annuity",),
        orderable=False,
    )
    return render(
        request, "orgs/wagesample_detail.html", {"sample": sample, "reports": reports, "today": local_today()}
    )
