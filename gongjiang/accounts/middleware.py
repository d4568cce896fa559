"""Session rules Django lacks: every session ends 12 hours after login, however active (idle expiry
is the cookie age); an account with a one-time password must change it before anything else."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
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
