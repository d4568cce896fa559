"""Pages of benefits: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongjiang.accounts.services import audit_record
from gongjiang.common.excel import attachment_header, write_xlsx
from gongjiang.common.forms import apply_validation_error
from gongjiang.common.listing import ObjectListView
from gongjiang.talents.selectors import person_profile
from gongjiang.workflow.selectors import history, permitted_steps
from gongjiang.workflow.views import step_post

from . import services
from .filters import EntitlementFilterSet
from .forms import ConfirmForm
from .selectors import (
    BANK_FILE_HEADERS,
    bank_file_rows,
    entitlement_detail,
    entitlement_list,
    grants_as_of,
    integrity_findings,
    payment_batch_list,
    person_benefits,
    policy_overview,
    policy_what_if,
    shortage_catalogue,
)
from .spec import SpecError
from .tables import EntitlementTable, PaymentBatchTable
from .workflows import APPLICATION_WORKFLOW, ENTITLEMENT_WORKFLOW


@login_required
def person_eligibility(request, pk: int):
    """The benefits a person (in the user's scope) qualifies for today, each condition with its
    reason; loaded into the person's page (htmx fragment). Outside the scope: 404."""
    person = person_profile(user=request.user, pk=pk)
    on = timezone.localdate()
    return render(
        request,
        "benefits/_person_eligibility.html",
        {"person": person, "on": on, "rows": person_benefits(person=person, on=on, user=request.user)},
    )


class EntitlementListView(ObjectListView):
    title = "人才待遇"
    table_class = EntitlementTable
    filterset_class = EntitlementFilterSet
    view_permission = "benefits.view_entitlement"
    export_permission = "benefits.view_entitlement"
    export_name = "人才待遇"
    selector = staticmethod(entitlement_list)
    extra_actions = (
        ("待遇政策", "benefits:policy_list", "benefits.view_entitlement"),
        ("发放批次", "benefits:payment_batch_list", "benefits.pay_entitlement"),
        ("待遇核查", "benefits:integrity", "benefits.pay_entitlement"),
    )


# The steps offered as buttons with a reason (confirm has its own form).
STEP_BUTTONS = ("verify", "return", "decline", "stop")
DONE = {
    "confirm": "已确认，等待县区核实",
    "verify": "已核实，待遇可以发放",
    "return": "已退回补正",
    "decline": "已放弃该待遇",
    "stop": "已停发",
}


def _detail_context(request, entitlement, confirm_form: ConfirmForm | None = None) -> dict:
    user = request.user
    allowed = permitted_steps(ENTITLEMENT_WORKFLOW, entitlement, user, (*STEP_BUTTONS, "confirm"))
    return {
        "entitlement": entitlement,
        "events": history(entitlement),
        "steps": [t for t in allowed if t.name != "confirm"],
        "confirm_form": confirm_form
        or (ConfirmForm() if any(t.name == "confirm" for t in allowed) else None),
        "lines": list(entitlement.lines.select_related("batch").order_by("instalment", "id")),
        "title": str(entitlement),
    }


@login_required
def entitlement_detail_view(request, pk: int):
    entitlement = entitlement_detail(user=request.user, pk=pk)
    return render(request, "benefits/entitlement_detail.html", _detail_context(request, entitlement))


@login_required
@require_POST
def entitlement_confirm_view(request, pk: int):
    entitlement = entitlement_detail(user=request.user, pk=pk)
    form = ConfirmForm(request.POST, request.FILES)
    if form.is_valid():
        c = form.cleaned_data
        try:
            services.entitlement_confirm(
                actor=request.user,
                entitlement=entitlement,
                bank_name=c["bank_name"],
                account=c["account"],
                consent=c["consent"],
                files=c["files"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, DONE["confirm"])
            return redirect("benefits:entitlement_detail", pk=pk)
    context = _detail_context(request, entitlement_detail(user=request.user, pk=pk), confirm_form=form)
    return render(request, "benefits/entitlement_detail.html", context, status=422)


@login_required
@require_POST
def entitlement_step_view(request, pk: int, action: str):
    if action not in STEP_BUTTONS:
        raise Http404
    entitlement = entitlement_detail(user=request.user, pk=pk)
    try:
        services.entitlement_step(
            actor=request.user, entitlement=entitlement, action=action, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, DONE[action])
    return redirect("benefits:entitlement_detail", pk=pk)


@login_required
@permission_required("benefits.pay_entitlement", raise_exception=True)
def payment_batch_list_view(request):
    if request.method == "POST":
        try:
            month = timezone.datetime.strptime(request.POST.get("month", ""), "%Y-%m").date()
        except ValueError:
            messages.error(request, "请选择月份（YYYY-MM）")
        else:
            batch = services.payment_batch_create(actor=request.user, month=month)
            messages.success(
                request,
                "已制作 %s 发放批次 #%d：%d 笔" % (month.strftime("%Y-%m"), batch.pk, batch.lines.count()),
            )
            return redirect("benefits:payment_batch_detail", pk=batch.pk)
    table = PaymentBatchTable(payment_batch_list()[:100])
    return render(
        request,
        "benefits/payment_batch_list.html",
        {"table": table, "month": timezone.localdate().strftime("%Y-%m"), "title": "发放批次"},
    )


@login_required
@permission_required("benefits.pay_entitlement", raise_exception=True)
def payment_batch_detail_view(request, pk: int):
    batch = payment_batch_list().filter(pk=pk).first()
    if batch is None:
        raise Http404("未找到该批次")
    lines = batch.lines.select_related("entitlement__person", "entitlement__policy").order_by("id")
    return render(
        request, "benefits/payment_batch_detail.html", {"batch": batch, "lines": lines, "title": str(batch)}
    )


@login_required
@permission_required("benefits.pay_entitlement", raise_exception=True)
def payment_bank_file_view(request, pk: int):
    """The batch's bank file (xlsx, full account numbers), audited as a reveal."""
    batch = payment_batch_list().filter(pk=pk).first()
    if batch is None:
        raise Http404("未找到该批次")
    rows = bank_file_rows(batch)
    name = "银行发放文件-%s-%d.xlsx" % (batch.month.strftime("%Y%m"), batch.pk)
    audit_record(
        actor=request.user, action="payment.bank_file", obj=batch, changes={"lines": len(rows), "file": name}
    )
    response = FileResponse(
        write_xlsx(BANK_FILE_HEADERS, rows, sheet="发放明细"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = attachment_header(name)
    return response


@login_required
def policy_list_view(request):
    """The benefit policies (every signed-in user reads them); the city loads a policy file here."""
    if request.method == "POST":
        if not request.user.has_perm("benefits.change_benefitpolicy"):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择政策文件（JSON）")
        else:
            try:
                result = services.policies_load(actor=request.user, text=upload.read().decode("utf-8-sig"))
            except (SpecError, UnicodeDecodeError) as exc:
                messages.error(request, "政策文件“%s”未载入：%s" % (upload.name, exc))
            else:
                messages.success(
                    request,
                    "已载入：新增 %d 项，新版本 %d 项，预算调整 %d 项，未变 %d 项"
                    % (
                        len(result.created),
                        len(result.new_versions),
                        len(result.budgets_changed),
                        len(result.unchanged),
                    ),
                )
        return redirect("benefits:policy_list")
    return render(
        request,
        "benefits/policy_list.html",
        {
            "rows": policy_overview(),
            "as_of": grants_as_of(),
            "can_load": request.user.has_perm("benefits.change_benefitpolicy"),
            "title": "待遇政策",
        },
    )


@login_required
@permission_required("benefits.pay_entitlement", raise_exception=True)
def integrity_view(request):
    """The integrity checks (one bank account for several persons, a person over the yearly cap,
    an entitlement whose certificate is revoked), each with the rows behind it."""
    return render(request, "benefits/integrity.html", {"findings": integrity_findings(), "title": "待遇核查"})


@login_required
@require_POST
@permission_required("benefits.change_benefitpolicy", raise_exception=True)
def policy_budget_view(request, pk: int):
    """The city sets a policy's budget for a year (audited)."""
    from decimal import Decimal, InvalidOperation

    from .models import BenefitPolicy

    policy = BenefitPolicy.objects.filter(pk=pk).first()
    if policy is None:
        raise Http404("未找到该政策")
    try:
        year = int(request.POST.get("year", ""))
        amount = Decimal(request.POST.get("amount", "").replace(",", ""))
        services.policy_budget_set(actor=request.user, policy=policy, year=year, amount=amount)
    except (ValueError, InvalidOperation):
        messages.error(request, "请填写年度（如 2026）和预算金额（元）")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已将“%s”%d年度预算设为 %s 元" % (policy.name, year, amount))
    return redirect("benefits:policy_list")


@login_required
def application_create_view(request, code: str, person_pk: int):
    """Apply for a 依申请 policy for a person in scope (the talent, or the employer for its staff):
    the level and amount are the engine's reading, shown, not typed."""
    from .engine import person_verdict, version_in_force
    from .forms import ApplicationForm
    from .models import BenefitPolicy
    from .selectors import version_spec

    if not request.user.has_perm("benefits.add_benefitapplication"):
        raise PermissionDenied
    person = person_profile(user=request.user, pk=person_pk)
    policy = BenefitPolicy.objects.filter(code=code, mode="application").prefetch_related("versions").first()
    if policy is None:
        raise Http404("未找到该依申请政策")
    today = timezone.localdate()
    version = version_in_force(list(policy.versions.all()), today)
    verdict = person_verdict(version_spec(version, policy=policy), person, today) if version else None
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            application = services.application_submit(
                actor=request.user,
                person=person,
                policy=policy,
                bank_name=c["bank_name"],
                account=c["account"],
                consent=c["consent"],
                files=c["files"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request, "已提交申请，等待%s" % application.get_status_display().removeprefix("待")
            )
            return redirect("benefits:application_detail", pk=application.pk)
    return render(
        request,
        "benefits/application_form.html",
        {
            "form": form,
            "policy": policy,
            "person": person,
            "verdict": verdict,
            "title": "申请%s" % policy.name,
        },
    )


@login_required
def application_staff_view(request, code: str):
    """The employer applies for many of its staff at once: those who qualify today and have not
    applied are listed with the level and amount the engine reads; the employer ticks them and
    gives each one's bank account. All or nothing; the submitted ones are listed below."""
    from .models import BenefitApplication, BenefitPolicy
    from .selectors import staff_to_apply

    user = request.user
    if not user.has_perm("benefits.add_benefitapplication") or not user.organisation_id:
        raise PermissionDenied
    policy = BenefitPolicy.objects.filter(code=code, mode="application").prefetch_related("versions").first()
    if policy is None:
        raise Http404("未找到该依申请政策")
    today = timezone.localdate()
    candidates = staff_to_apply(user=user, policy=policy, on=today)
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        chosen = {int(pk) for pk in request.POST.getlist("person") if pk.isdigit()}
        rows = [
            services.StaffApplication(
                c.person,
                request.POST.get("bank_name_%d" % c.person.pk, ""),
                request.POST.get("account_%d" % c.person.pk, ""),
            )
            for c in candidates
            if c.person.pk in chosen
        ]
        try:
            made = services.applications_submit_for_staff(
                actor=user, policy=policy, rows=rows, consent=bool(request.POST.get("consent"))
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已为 %d 名职工提交申请，等待县区审核" % len(made))
            return redirect("benefits:application_staff", code=code)
    submitted = (
        BenefitApplication.objects.for_user(user)
        .filter(policy=policy, person__employer_id=user.organisation_id)
        .select_related("person", "level")
        .order_by("-submitted_at")[:200]
    )
    return render(
        request,
        "benefits/application_staff.html",
        {
            "policy": policy,
            "rows": [
                {
                    "c": c,
                    "checked": str(c.person.pk) in (values.getlist("person") if values else ()),
                    "bank_name": values.get("bank_name_%d" % c.person.pk, ""),
                    "account": values.get("account_%d" % c.person.pk, ""),
                }
                for c in candidates
            ],
            "submitted": submitted,
            "title": "为本单位职工申请%s" % policy.name,
        },
    )


APPLICATION_BUTTONS = ("employer_confirm", "county_pass", "approve", "return", "reject", "resubmit")


@login_required
def application_detail_view(request, pk: int):
    from .selectors import application_detail

    application = application_detail(user=request.user, pk=pk)
    allowed = permitted_steps(APPLICATION_WORKFLOW, application, request.user, APPLICATION_BUTTONS)
    return render(
        request,
        "benefits/application_detail.html",
        {
            "application": application,
            "steps": allowed,
            "events": history(application),
            "title": str(application),
        },
    )


@login_required
@require_POST
def application_step_view(request, pk: int, action: str):
    from .selectors import application_detail

    if action not in APPLICATION_BUTTONS:
        raise Http404
    application = application_detail(user=request.user, pk=pk)
    return step_post(
        request,
        APPLICATION_WORKFLOW,
        action,
        lambda reason, files: services.application_step(
            actor=request.user, application=application, action=action, reason=reason, files=files
        ),
        reverse("benefits:application_detail", args=[pk]),
    )


def shortage_catalogue_view(request):
    """急需紧缺技能人才目录: public, no login."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    years, year, entries = shortage_catalogue(year=year)
    return render(
        request,
        "benefits/shortage_catalogue.html",
        {"years": years, "year": year, "entries": entries, "title": "急需紧缺技能人才目录"},
    )


@login_required
@require_POST
@permission_required("benefits.change_benefitpolicy", raise_exception=True)
def policy_what_if_view(request):
    """试算: a draft policy file evaluated beside the version in force, nothing written."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要试算的政策文件（JSON）")
        return redirect("benefits:policy_list")
    try:
        result = policy_what_if(text=upload.read().decode("utf-8-sig"), on=timezone.localdate())
    except (SpecError, UnicodeDecodeError) as exc:
        messages.error(request, "政策文件“%s”无法试算：%s" % (upload.name, exc))
        return redirect("benefits:policy_list")
    return render(request, "benefits/policy_what_if.html", {"w": result, "title": "政策试算"})
