"""Pages of the portal: public certificate verification, the talent's own space."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gongjiang.accounts.scope import may
from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.common.forms import apply_validation_error, bootstrapify
from gongjiang.workflow.forms import StepForm
from gongjiang.workflow.selectors import history, notifications_for, unread_count

from .choices import CorrectionKind, CorrectionStatus, VerifyStatus
from .forms import CorrectionForm, CorrectionResubmitForm, ShareLinkForm, TalentRegisterForm, VerifyForm
from .models import Correction, ShareLink
from .selectors import (
    certificate_verify_status,
    correction_list,
    share_link_list,
    share_link_person,
    talent_carriers,
    talent_person,
    talent_person_by_pk,
)
from .services import (
    RateLimited,
    correction_submit,
    correction_take,
    share_link_create,
    share_link_revoke,
    talent_accounts_create,
    talent_accounts_persons_from_file,
    talent_register,
    verification_lookup,
)
from .workflows import CORRECTION_WORKFLOW


def rate_limited_response(request, exc: RateLimited, what: str = "查询"):
    """HTTP 429 with a Chinese page saying when (Beijing time) to try again."""
    seconds = max(1, math.ceil((exc.retry_at - timezone.now()).total_seconds()))
    response = render(
        request, "portal/rate_limited.html", {"retry_at": exc.retry_at, "what": what}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def verify_view(request):
    """Anyone: a certificate number and the holder's name give its status, or 未查到."""
    form = VerifyForm(request.POST or None)
    result, asked = None, False
    if request.method == "POST" and form.is_valid():
        try:
            result = verification_lookup(
                via="form", number=form.cleaned_data["number"], name=form.cleaned_data["name"]
            )
        except RateLimited as exc:
            return rate_limited_response(request, exc)
        asked = True
        if result is not None:
            form = VerifyForm()  # the holder's full name is not echoed back beside the masked one
    return render(
        request,
        "portal/verify.html",
        {
            "form": form,
            "result": result,
            "asked": asked,
            "title": "证书查验",
            "limit": settings.GONGJIANG_VERIFY_LIMIT_PER_HOUR,
        },
        status=200,
    )


@never_cache
def verify_link_view(request, token: str):
    """Anyone: the page a certificate's QR code opens, the same answer without typing."""
    try:
        result = verification_lookup(via="link", token=token)
    except RateLimited as exc:
        return rate_limited_response(request, exc)
    return render(
        request,
        "portal/verify.html",
        {"form": VerifyForm(), "result": result, "asked": True, "by_link": True, "title": "证书查验"},
        status=200 if result else 404,
    )


def _talent_person_or_404(request):
    person = talent_person(user=request.user)
    if person is None:
        raise Http404("您的账号尚未关联技能档案")
    return person


def _persons_from_upload(user, upload):
    """The persons an uploaded list names (checked whole; see the service). The file is read from a
    private temporary copy that is removed at once."""
    import tempfile
    from pathlib import Path, PurePath

    name = PurePath(upload.name or "名单.xlsx").name
    with tempfile.TemporaryDirectory(prefix="gj-accounts-") as folder:
        path = Path(folder) / ("list" + PurePath(name).suffix.lower())
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        return talent_accounts_persons_from_file(actor=user, path=path, filename=name)


@login_required
@permission_required("portal.add_correction", raise_exception=True)
def home_view(request):
    """The talent's own 技能档案: certificates newest first with their verification links and QR
    codes, whether and since when high-skilled, the carriers they lead, their corrections."""
    person = _talent_person_or_404(request)
    today = timezone.localdate()
    certificates = [(c, certificate_verify_status(c, today)) for c in person.certificates.all()]
    return render(
        request,
        "portal/home.html",
        {
            "person": person,
            "certificates": certificates,
            "status_labels": dict(VerifyStatus.choices),
            "carriers": talent_carriers(person=person),
            "corrections": correction_list(user=request.user).filter(person=person)[:5],
            "notifications": notifications_for(user=request.user)[:5],
            "unread": unread_count(user=request.user),
            "title": "我的技能档案",
        },
    )


# --- corrections ------------------------------------------------------------------------------


@login_required
@permission_required("portal.view_correction", raise_exception=True)
def correction_list_view(request):
    """The talent's own requests, or the county's requests of its region's persons."""
    queryset = correction_list(user=request.user)
    status = request.GET.get("status", "")
    if status in CorrectionStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/correction_list.html",
        {"page": page, "status": status, "statuses": CorrectionStatus.choices, "title": "更正申请"},
    )


@login_required
@permission_required("portal.add_correction", raise_exception=True)
def correction_create_view(request):
    kind = request.GET.get("kind") or (
        CorrectionKind.CERTIFICATE if request.GET.get("certificate") else CorrectionKind.PERSON
    )
    if kind not in CorrectionKind.values:
        kind = CorrectionKind.PERSON
    _talent_person_or_404(request)
    initial = {"certificate": request.GET.get("certificate")} if kind == CorrectionKind.CERTIFICATE else {}
    form = CorrectionForm(
        request.POST or None, request.FILES or None, kind=kind, user=request.user, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                correction = correction_submit(
                    actor=request.user, data=form.to_data(), files=form.cleaned_data.get("files") or []
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "更正申请已提交，县区审核后会在这里显示结果")
                return redirect("portal:correction_detail", correction.pk)
        status = 422
    return render(
        request,
        "portal/correction_form.html",
        {"form": form, "kind": kind, "kinds": CorrectionKind.choices, "title": "申请更正"},
        status=status,
    )


STEP_BUTTONS = {
    "accept": ("同意更正", "btn-success"),
    "return": ("退回补正", "btn-outline-warning"),
    "reject": ("不予更正", "btn-outline-danger"),
    "resubmit": ("补正后重新提交", "btn-primary"),
}


def _step_form(transition, correction, data=None, files=None):
    resubmit_value = transition.name == "resubmit" and correction.kind != CorrectionKind.MISSING
    form_class = CorrectionResubmitForm if resubmit_value else StepForm
    form = form_class(
        data,
        files,
        label=transition.reason or "意见",
        required=bool(transition.reason),
        attachments=transition.attachments,
        prefix=transition.name,
    )
    bootstrapify(form, small=True)
    return form


def _correction_page(request, correction, bound=None, status=200):
    permitted = may(
        request.user,
        correction,
        *{t.permission_for(correction) for t in CORRECTION_WORKFLOW.transitions.values()},
    )
    steps = []
    for transition in CORRECTION_WORKFLOW.available(correction):
        if transition.permission_for(correction) not in permitted:
            continue
        if transition.review and correction.submitted_by_id == request.user.pk:
            continue
        form = bound[1] if bound and bound[0] == transition.name else _step_form(transition, correction)
        label, css = STEP_BUTTONS[transition.name]
        steps.append({"name": transition.name, "form": form, "button": label, "css": css})
    return render(
        request,
        "portal/correction_detail.html",
        {
            "correction": correction,
            "steps": steps,
            "events": history(correction),
            "is_reviewer": "review" in permitted,
            "title": "更正申请",
        },
        status=status,
    )


@login_required
def correction_detail_view(request, pk: int):
    correction = get_scoped_or_404(
        Correction.objects.select_related("person", "person__region", "certificate", "cert_type", "level"),
        request.user,
        "view",
        pk=pk,
    )
    return _correction_page(request, correction)


@login_required
@require_POST
def correction_step_view(request, pk: int, step: str):
    transition = CORRECTION_WORKFLOW.transitions.get(step)
    correction = get_scoped_or_404(
        Correction.objects.select_related("person", "certificate"),
        request.user,
        "view",
        pk=pk,
    )
    if transition is None or not may(request.user, correction, transition.permission_for(correction)):
        raise Http404("未找到该记录")
    form = _step_form(transition, correction, request.POST, request.FILES)
    if form.is_valid():
        try:
            correction_take(
                actor=request.user,
                correction=correction,
                action=step,
                note=form.cleaned_data.get("note", ""),
                files=form.cleaned_data.get("files") or [],
                proposed_value=form.cleaned_data.get("proposed_value", ""),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已办理：%s" % transition.label)
            return redirect("portal:correction_detail", correction.pk)
    return _correction_page(request, correction, bound=(step, form), status=422)


# --- talent accounts --------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def register_view(request):
    """A skilled worker opens their own account (no login)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = TalentRegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            c = form.cleaned_data
            try:
                user = talent_register(
                    name=c["name"],
                    id_number=c["id_number"],
                    certificate_number=c["certificate_number"],
                    username=c["username"],
                    password=c["password1"],
                )
            except RateLimited as exc:
                return rate_limited_response(request, exc, what="注册尝试")
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                login(request, user, backend="gongjiang.accounts.backends.RoleBackend")
                messages.success(request, "个人账号已开通，欢迎使用")
                return redirect("portal:home")
        status = 422
    return render(request, "portal/register.html", {"form": form, "title": "注册个人账号"}, status=status)


# --- skills passport and its share links -------------------------------------------------------


def _passport_context(request, person, *, shared: bool) -> dict:
    today = timezone.localdate()
    return {
        "person": person,
        "certificates": [(c, certificate_verify_status(c, today)) for c in person.certificates.all()],
        "status_labels": dict(VerifyStatus.choices),
        "carriers": talent_carriers(person=person),
        "shared": shared,
        "generated_at": timezone.now(),
        "title": "技能护照",
    }


@login_required
@permission_required("portal.view_sharelink", raise_exception=True)
def passport_view(request):
    """The talent's own printable skills passport (A4), with the share links they made."""
    person = _talent_person_or_404(request)
    context = _passport_context(request, person, shared=False)
    context.update({"links": share_link_list(user=request.user), "share_form": ShareLinkForm()})
    return render(request, "portal/passport.html", context)


@login_required
@permission_required("portal.add_sharelink", raise_exception=True)
@require_POST
def share_create_view(request):
    """Make a share link and show it once (only its digest is kept)."""
    person = _talent_person_or_404(request)
    form = ShareLinkForm(request.POST)
    context = _passport_context(request, person, shared=False)
    status = 422
    if form.is_valid():
        link, token = share_link_create(actor=request.user, days=form.cleaned_data["days"])
        context["new_link"] = request.build_absolute_uri(reverse("portal:shared_passport", args=[token]))
        context["new_link_expires"] = link.expires_at
        form, status = ShareLinkForm(), 200
    context.update({"links": share_link_list(user=request.user), "share_form": form})
    return render(request, "portal/passport.html", context, status=status)


@login_required
@require_POST
def share_revoke_view(request, pk: int):
    link = get_scoped_or_404(ShareLink.objects.all(), request.user, "change", pk=pk)
    share_link_revoke(actor=request.user, link=link)
    messages.success(request, "分享链接已撤销，他人无法再通过该链接查看")
    return redirect("portal:passport")


@never_cache
def shared_passport_view(request, token: str):
    """Anyone holding an active share link: the passport, ID masked, no login."""
    person = share_link_person(token=token)
    if person is None:
        raise Http404("分享链接无效、已过期或已被撤销")
    person = talent_person_by_pk(pk=person.pk)
    return render(request, "portal/passport.html", _passport_context(request, person, shared=True))


@login_required
@permission_required("talents.change_person", raise_exception=True)
def talent_accounts_view(request):
    """Operators open personal accounts for the persons of a filter (within their scope) who have
    none; the one-time passwords come back once, as an xlsx for the operator to hand out."""
    from django.http import FileResponse

    from gongjiang.common.excel import attachment_header, write_xlsx
    from gongjiang.common.forms import bootstrapify
    from gongjiang.talents.filters import PersonFilterSet
    from gongjiang.talents.selectors import person_list

    filterset = PersonFilterSet(
        request.GET or None, queryset=person_list(user=request.user), user=request.user
    )
    bootstrapify(filterset.form, small=True)
    persons = filterset.qs if filterset.is_bound else person_list(user=request.user).none()
    if request.method == "POST":
        try:
            if upload := request.FILES.get("list"):
                persons = _persons_from_upload(request.user, upload)
            made = talent_accounts_create(actor=request.user, persons=persons)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(request.get_full_path())
        if not made:
            messages.info(request, "所列人员都已开通个人账号，没有新开通的账号")
            return redirect(request.get_full_path())
        rows = [(p.name, p.id_masked, username, password) for p, username, password in made]
        name = "个人账号初始密码-%s.xlsx" % timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response = FileResponse(
            write_xlsx(("姓名", "身份证号", "用户名", "初始密码（首次登录须修改）"), rows, sheet="个人账号"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = attachment_header(name)
        return response
    waiting = persons.filter(user__isnull=True).count() if filterset.is_bound else 0
    return render(
        request,
        "portal/talent_accounts.html",
        {"filter": filterset, "waiting": waiting, "bound": filterset.is_bound, "title": "开通个人账号"},
    )
