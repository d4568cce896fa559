"""Project-wide pages with no domain of their own: home, health, error pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from .forms import apply_validation_error


@login_required
def home(request):
    if request.user.has_perm("portal.add_correction"):  # a talent lands on their own 技能档案
        return redirect("portal:home")
    if request.user.has_perm("talents.view_person"):
        return redirect("talents:person_list")
    if request.user.has_perm("orgs.view_organisation"):
        return redirect("orgs:organisation_list")
    if request.user.has_perm("accounts.view_auditentry"):
        return redirect("accounts:audit_list")
    if request.user.has_perm("accounts.view_user"):
        return redirect("accounts:account_list")
    if request.user.has_perm("core.change_refdata"):
        return redirect("admin:index")
    return render(request, "common/home.html")


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request, exception=None):
    response = render(request, "common/404.html", status=404)
    response.gongjiang_error_page = True
    return response


def permission_denied(request, exception=None):
    """A role without the permission for a page (the role × URL table decides)."""
    response = render(request, "common/403.html", status=403)
    response.gongjiang_error_page = True
    return response


def csrf_failure(request, reason=""):
    response = render(request, "common/403.html", {"csrf": True}, status=403)
    response.gongjiang_error_page = True
    return response


BUSY_RETRY_SECONDS = 5


def database_busy(exception: BaseException | None) -> bool:
    """Whether ``exception`` is SQLite's "database is locked": another writer (a large import's
    merge, say) held the database past the busy timeout. Nothing was written; trying again works."""
    from django.db import OperationalError

    return isinstance(exception, OperationalError) and "database is locked" in str(exception)


def server_error(request, exception: BaseException | None = None):
    # A plain message: no traceback, SQL or path; the request id lets staff find the log line.
    # The site's layout needs the database (the signed-in user, the navigation); when that is
    # what failed, the page falls back to a standalone one. A busy database is not an error of
    # the request: 503 with Retry-After and a page that says to try again in a few seconds.
    import sys

    busy = database_busy(exception or sys.exc_info()[1])
    context = {"request_id": getattr(request, "request_id", ""), "busy": busy}
    if busy:
        content = render_to_string("common/500_plain.html", context)
    else:
        try:
            content = render_to_string("common/500.html", context, request=request)
        except Exception:
            content = render_to_string("common/500_plain.html", context)
    response = HttpResponse(content, status=503 if busy else 500)
    if busy:
        response["Retry-After"] = str(BUSY_RETRY_SECONDS)
    response.gongjiang_error_page = True
    return response


def form_page(request, form, *, title: str, cancel: str, save, done, message="已保存"):
    """The one create/edit page: validate ``form``, call ``save(form)`` (a service), show its
    ValidationError at the fields, or redirect to ``done(obj)`` with ``message`` (a string, or a
    function of the saved object). ``cancel`` is a URL name."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, message(obj) if callable(message) else message)
            return redirect(done(obj))
    return render(request, "common/object_form.html", {"form": form, "title": title, "cancel_url": cancel})
