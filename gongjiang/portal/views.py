"""Pages of the portal: public certificate verification, the talent's own space."""

from __future__ import annotations

import math

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import VerifyForm
from .services import RateLimited, verification_lookup


def rate_limited_response(request, exc: RateLimited):
    """HTTP 429 with a Chinese page saying when (Beijing time) to try again."""
    seconds = max(1, math.ceil((exc.retry_at - timezone.now()).total_seconds()))
    response = render(request, "portal/rate_limited.html", {"retry_at": exc.retry_at}, status=429)
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
