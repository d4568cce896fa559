"""Sign-in, sign-out, password change, the audit log page, and account administration."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode

from gongjiang.common.forms import apply_validation_error, bootstrapify
from gongjiang.common.listing import ObjectListView

from .filters import AuditEntryFilterSet, UserFilterSet
from .forms import AccountForm, LoginForm
from .models import User
from .selectors import account_list, audit_entry_list
from .services import account_create, account_update, password_changed
from .shortcuts import get_scoped_or_404
from .tables import AuditEntryTable, UserTable


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "common/object_form.html"
    success_url = reverse_lazy("home")
    extra_context = {"title": "修改密码"}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        bootstrapify(form)
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(actor=self.request.user)
        messages.success(self.request, "密码已修改")
        return response


class AuditEntryListView(ObjectListView):
    title = "审计日志"
    table_class = AuditEntryTable
    filterset_class = AuditEntryFilterSet
    view_permission = "accounts.view_auditentry"
    export_permission = "accounts.view_auditentry"
    export_name = "审计日志"
    selector = staticmethod(audit_entry_list)


# --- accounts and roles (the security administrator) -----------------------------------------


class AccountListView(ObjectListView):
    title = "账号管理"
    table_class = UserTable
    filterset_class = UserFilterSet
    view_permission = "accounts.view_user"
    selector = staticmethod(account_list)
    create_url_name = "accounts:account_create"
    create_permission = "accounts.add_user"


def _account_saved(request, user, password: str, title: str):
    """After a save with a new one-time password: shown on this page only, never stored or sent."""
    return render(
        request, "accounts/account_password.html", {"account": user, "password": password, "title": title}
    )


@login_required
@permission_required("accounts.add_user", raise_exception=True)
def account_create_view(request):
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            user, password = account_create(
                actor=request.user,
                username=c["username"],
                role=c["role"],
                region_id=c["region"].pk if c.get("region") else None,
                organisation_id=c["organisation_uscc"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _account_saved(request, user, password, "已新建账号")
    context = {"form": form, "title": "新建账号", "cancel_url": "accounts:account_list"}
    return render(request, "common/object_form.html", context)


@login_required
def account_update_view(request, pk: int):
    account = get_scoped_or_404(User.objects.select_related("organisation"), request.user, "change", pk=pk)
    form = AccountForm(request.POST or None, user=request.user, instance=account)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            user, password = account_update(
                actor=request.user,
                user=account,
                role=c["role"],
                region_id=c["region"].pk if c.get("region") else None,
                organisation_id=c["organisation_uscc"],
                is_active=c["is_active"],
                reset_password=c["reset_password"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if password:
                return _account_saved(request, user, password, "已重置密码")
            messages.success(request, "已保存账号：%s" % user.username)
            return redirect("accounts:account_list")
    context = {
        "form": form,
        "title": "修改账号：%s" % account.username,
        "cancel_url": "accounts:account_list",
    }
    return render(request, "common/object_form.html", context)


# --- the second factor ------------------------------------------------------------------------


def _next_url(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


@login_required
def otp_setup_view(request):
    """Enrol an authenticator: a QR code (drawn here, no third party) and the key as text; the
    code it then shows confirms it, and the recovery codes are shown once."""
    import segno
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .second_factor import has_second_factor, second_factor_required, totp_enrol_confirm, totp_enrol_start

    if has_second_factor(request.user) and not request.user.is_verified():
        # Replacing an enrolled authenticator takes the one enrolled: a password alone may not.
        return redirect(reverse("accounts:otp_verify") + "?" + urlencode({"next": request.path}))
    device = None
    error = ""
    if request.method == "POST":
        device = TOTPDevice.objects.filter(
            user=request.user, confirmed=False, pk=request.session.get("otp_enrol_device")
        ).first()
        if device is None:
            error = "请重新扫描二维码"
        else:
            try:
                codes = totp_enrol_confirm(
                    actor=request.user, device=device, token=request.POST.get("token", "")
                )
            except ValidationError as exc:
                error = "；".join(exc.messages)
            else:
                otp_login(request, TOTPDevice.objects.get(pk=device.pk))
                request.session.pop("otp_enrol_device", None)
                request.session["otp_enrolled"] = True
                context = {"title": "两步验证已启用", "codes": codes, "next": _next_url(request)}
                return render(request, "accounts/otp_codes.html", context)
    if device is None:
        device = totp_enrol_start(actor=request.user)
        request.session["otp_enrol_device"] = device.pk
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    context = {
        "title": "启用两步验证",
        "qr": qr,
        "secret": _base32(device.bin_key),
        "error": error,
        "required": second_factor_required(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify_view(request):
    """After the password: a code from the authenticator, or one of the recovery codes."""
    from django_otp import login as otp_login

    from .second_factor import has_second_factor, second_factor_check

    if not has_second_factor(request.user):
        return redirect(reverse("accounts:otp_setup") + "?" + urlencode({"next": _next_url(request)}))
    error = ""
    if request.method == "POST":
        device = second_factor_check(actor=request.user, token=request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        error = "验证码不正确、已使用或尝试过于频繁，请稍后再试"
    context = {"title": "两步验证", "error": error, "next": _next_url(request)}
    return render(request, "accounts/otp_verify.html", context, status=422 if error else 200)


def _base32(key: bytes) -> str:
    import base64

    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
