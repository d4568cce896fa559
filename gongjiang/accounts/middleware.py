"""Session rules Django lacks: every session ends 12 hours after login, however active (idle expiry
is the cookie age); an account with a one-time password must change it before anything else.
And the one answer to a row outside the user's reach that a service refused: 404, audited."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            started = request.session.get("_auth_at")
            limit = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if started is None or time.time() - float(started) > limit:
                logout(request)
                return redirect(resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": request.path}))
            allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
            if user.must_change_password and request.path not in allowed:
                return redirect("accounts:password_change")
        return self.get_response(request)


class OutOfScopeMiddleware:
    """A service that meets a row outside the actor's scope raises ``NotInScope`` (or, for a write
    that would leave the scope, ``OutOfScope``); when no page turned it into a form message, the
    answer is 404 like every other out-of-scope request (DESIGN: never 403), and it is audited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .scope import NotInScope, OutOfScope
        from .services import audit_record

        if not isinstance(exception, (NotInScope, OutOfScope)):
            return None
        user = request.user if request.user.is_authenticated else None
        obj = getattr(exception, "obj", None)
        audit_record(
            actor=user,
            action="access.denied",
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            changes={"action": getattr(exception, "action", ""), "path": request.path[:200]},
            result="denied",
        )
        raise Http404("未找到该记录")


class SecondFactorMiddleware:
    """An account that needs a second factor (``second_factor.second_factor_required``) reaches
    nothing but enrolment, verification, password change and sign-out until this session has
    proved it: always when the account has enrolled, and for every such account when
    ``GONGJIANG_OTP_REQUIRED`` is on (whenever DEBUG is off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            from .second_factor import second_factor_required

            allowed = (
                reverse("accounts:otp_verify"),
                reverse("accounts:otp_setup"),
                reverse("accounts:password_change"),
                reverse("accounts:logout"),
            )
            if request.path not in allowed and second_factor_required(user):
                enrolled = request.session.get("otp_enrolled", False)  # set at sign-in and at enrolment
                if request.headers.get("HX-Request") and (enrolled or settings.GONGJIANG_OTP_REQUIRED):
                    # A fragment the page fetches by itself (the to-do badge): nothing, not the
                    # enrol page swapped into the navigation bar.
                    return HttpResponse(status=204)
                if enrolled:
                    return redirect(reverse("accounts:otp_verify") + "?" + urlencode({"next": request.path}))
                if settings.GONGJIANG_OTP_REQUIRED:
                    return redirect(reverse("accounts:otp_setup") + "?" + urlencode({"next": request.path}))
        return self.get_response(request)
