"""Login events come from Django's auth, so they are audited from its signals."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .choices import AuditResult


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    from .second_factor import has_second_factor
    from .services import audit_record

    request.session["_auth_at"] = time.time()
    # Read once per sign-in, so pages do not ask the database on every request (SecondFactorMiddleware).
    request.session["otp_enrolled"] = has_second_factor(user)
    audit_record(actor=user, action="login", obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    from .services import audit_record

    if user is not None:
        audit_record(actor=user, action="logout", obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from .services import audit_record

    audit_record(
        actor=None,
        username=str(credentials.get("username", ""))[:150],
        action="login.failed",
        result=AuditResult.FAILED,
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    from .services import audit_record

    audit_record(
        actor=None, username=str(username or "")[:150], action="login.locked_out", result=AuditResult.DENIED
    )
