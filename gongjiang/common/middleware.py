"""Per-request context (request id, client address) and the security headers Django lacks."""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import uuid
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    address: str | None = None


_EMPTY = RequestContext()
_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "gongjiang_request", default=None
)


def current_request_context() -> RequestContext:
    """The request being served on this thread/task, or an empty context for commands and tasks."""
    return _current.get() or _EMPTY


@contextlib.contextmanager
def request_context(ctx: RequestContext):
    """Serve code that runs after the view returned (a streamed response's generator) in the
    request's context, so that what it audits carries the request's id and client address."""
    token = _current.set(ctx)
    try:
        yield
    finally:
        _current.reset(token)


def client_address(request) -> str | None:
    # Behind the reverse proxy REMOTE_ADDR is set by the proxy protocol handler; we do not trust
    # X-Forwarded-For from clients.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = RequestContext(request_id=uuid.uuid4().hex[:16], address=client_address(request))
        request.request_id = ctx.request_id
        token = _current.set(ctx)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = ctx.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_context().request_id or "-"
        return True


# An 18-character resident ID or an 11-digit mainland mobile number, not inside a longer token.
_PERSONAL_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])")


def scrub_personal_numbers(text: str) -> str:
    """``text`` with every resident ID and mobile number masked as on screen."""
    from gongjiang.core.validators import mask_phone, mask_resident_id

    def mask(match: re.Match) -> str:
        value = match.group(0)
        return mask_phone(value) if len(value) == 11 else mask_resident_id(value)

    return _PERSONAL_NUMBER.sub(mask, text)


class PersonalNumberLogFilter(logging.Filter):
    """The second line of defence (SECURITY: no full ID or phone in logs): whatever a log line
    says, including a traceback or a request path, leaves with ID and phone numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep the raw text rather than lose the line
            message = str(record.msg)
        record.msg, record.args = scrub_personal_numbers(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_personal_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub_personal_numbers(record.stack_info)
        return True


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response; no-store on every page a signed-in user sees,
    since those can carry personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response


class ErrorPageMiddleware:
    """The Chinese 404 and 500 pages in the site's layout also with DEBUG on (the demo runs with
    DEBUG on): Django would show its technical pages there, which list every URL or a traceback.
    With DEBUG off Django already calls ``handler404``/``handler500``; 403 is ``handler403``
    always. The traceback still goes to the log (docs/decisions/020)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "gongjiang_error_page", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            # No URL matched: Django's technical 404 page, produced before any view ran.
            from .views import not_found

            return not_found(request)
        return response

    def process_exception(self, request, exception):
        from .views import database_busy, not_found, server_error

        if database_busy(exception):
            logging.getLogger("django.request").warning("Database busy: %s", request.path)
            return server_error(request, exception)
        if not settings.DEBUG:
            return None
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # handler403, DEBUG or not
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception, extra={"request": request}
        )
        return server_error(request)
