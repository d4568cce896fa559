"""Project-wide pages with no domain of their own: home, health, error pages."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache


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
    return render(request, "common/404.html", status=404)


def server_error(request):
    # A plain page: no traceback, SQL or path; the request id lets staff find the log line.
    request_id = getattr(request, "request_id", "")
    return HttpResponse(render(request, "common/500.html", {"request_id": request_id}).content, status=500)
