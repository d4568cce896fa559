"""Pages of the one workflow mechanism: the to-do list across every workflow, and attachments."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gongjiang.accounts.services import audit_record
from gongjiang.jobs import files as stored_files

from .base import workflows
from .selectors import attachment_for, notifications_for, todo_for, unread_count
from .services import notifications_read


def todo_page(request, *, workflow_key: str | None = None, title: str = "待办/逾期"):
    """The items waiting on the user (optionally those of one workflow), overdue marked."""
    items = todo_for(user=request.user, workflow_key=workflow_key)
    return render(
        request,
        "workflow/todo.html",
        {
            "items": items,
            "overdue": sum(1 for i in items if i.overdue),
            "title": title,
            "workflow_key": workflow_key,
            "labels": {w.key: w.label for w in workflows()},
        },
    )


@login_required
def todo_view(request):
    return todo_page(request)


@login_required
def attachment_download(request, pk: int):
    """Download an attachment of an object the user may view; otherwise 404. Audited."""
    attachment = attachment_for(user=request.user, pk=pk)
    if attachment is None:
        raise Http404("未找到该附件")
    audit_record(
        actor=request.user,
        action="attachment.download",
        obj=attachment,
        changes={
            "file": attachment.name,
            "object": "%s:%s" % (attachment.content_type.model, attachment.object_id),
        },
    )
    response = StreamingHttpResponse(
        stored_files.iter_decrypted(attachment.stored), content_type=attachment.mime
    )
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def todo_badge(request):
    """The navigation bar's counts, fetched after the page has loaded (htmx), so no page pays for
    the to-do queries before it is shown."""
    items = todo_for(user=request.user)
    overdue = sum(1 for i in items if i.overdue)
    return render(request, "workflow/_todo_badge.html", {"count": len(items), "overdue": overdue})


@login_required
def notifications_view(request):
    """The account's messages, newest first, twenty a page; unread ones stand out."""
    rows = notifications_for(user=request.user)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "workflow/notifications.html",
        {"title": "消息通知", "page": page, "unread": unread_count(user=request.user)},
    )


@login_required
def notification_open(request, pk: int):
    """Open a message: it is marked read and the user goes where it points (only within the site)."""
    notification = notifications_for(user=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404("未找到该消息")
    notifications_read(user=request.user, pk=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("workflow:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    notifications_read(user=request.user)
    return redirect("workflow:notifications")


@login_required
def notifications_badge(request):
    """The unread count beside the bell, fetched after the page has loaded (htmx)."""
    return render(request, "workflow/_notifications_badge.html", {"count": unread_count(user=request.user)})


def step_post(request, workflow, action: str, take, done_url: str):
    """Answer a step button's POST: ``take(reason, files)`` calls the app's service; a refusal
    comes back as a message, a step taken as "已办理：…"; either way back to ``done_url``."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    try:
        take(request.POST.get("reason", ""), request.FILES.getlist("files"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已办理：%s" % workflow.transitions[action].label)
    return redirect(done_url)
