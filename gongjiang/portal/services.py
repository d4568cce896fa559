"""Writes of the portal: rate-limit counters, audited verification lookups, corrections, talent
accounts and share links."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gongjiang.accounts.services import audit_record
from gongjiang.common.middleware import current_request_context
from gongjiang.core.crypto import get_provider

from .models import RateWindow
from .selectors import Verification

RATE_PURPOSE = "rate-limit-key"
NAME_PURPOSE = "audit-verify-name"


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    retry_at: datetime.datetime  # when the current window closes


def rate_limit_take(
    *,
    bucket: str,
    limit: int,
    window: datetime.timedelta = datetime.timedelta(hours=1),
    client: str | None = None,
) -> RateDecision:
    """Count one attempt of the current client (its address unless ``client`` is given) in
    ``bucket`` and say whether it is within ``limit`` attempts per fixed ``window``. The counter is
    a database row incremented in SQL, so several web processes share it; the client is kept only
    as a keyed digest."""
    client = client if client is not None else (current_request_context().address or "unknown")
    key = get_provider().mac(("%s|%s" % (bucket, client)).encode(), purpose=RATE_PURPOSE)
    now = timezone.now()
    seconds = int(window.total_seconds())
    start = datetime.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=datetime.UTC)
    with transaction.atomic():
        updated = RateWindow.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateWindow.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another process opened the window first
                RateWindow.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
            RateWindow.objects.filter(window_start__lt=start - window).delete()
        count = RateWindow.objects.filter(key=key, window_start=start).values_list("count", flat=True).get()
    return RateDecision(allowed=count <= limit, count=count, retry_at=start + window)


def name_digest(name: str) -> str:
    """A keyed digest of a name typed into verification: the audit row can match repeated
    lookups of one name without holding it in clear."""
    return get_provider().mac(name.strip().encode(), purpose=NAME_PURPOSE)


def verification_audit(
    *, via: str, result: Verification | None, number: str = "", name: str = "", refused: bool = False
) -> None:
    """One audit row per public lookup: how (form, link, api), the number asked for, a digest of
    the name, and what was answered (or that the lookup was refused by the rate limit)."""
    outcome = "rate_limited" if refused else (result.status if result else "not_found")
    audit_record(
        actor=None,
        action="certificate.verify",
        object_type="talents.certificate",
        object_id=str(result.certificate_id) if result else "",
        changes={
            "via": via,
            "number": number[:40],
            "name_digest": name_digest(name) if name else "",
            "outcome": outcome,
        },
        result="denied" if refused else "ok",
        username="公众",
    )


class RateLimited(Exception):
    """Too many attempts from this client in the current window; try again at ``retry_at``."""

    def __init__(self, retry_at: datetime.datetime):
        super().__init__("rate limited")
        self.retry_at = retry_at


def verification_lookup(
    *, via: str, number: str = "", name: str = "", token: str = ""
) -> Verification | None:
    """One public verification (by number and name, or by signed link): counted against the
    client's hourly limit, answered from the selectors, audited either way. Raises RateLimited."""
    from django.conf import settings

    from .selectors import certificate_verify, certificate_verify_token

    decision = rate_limit_take(bucket="verify", limit=settings.GONGJIANG_VERIFY_LIMIT_PER_HOUR)
    if not decision.allowed:
        verification_audit(via=via, result=None, number=number, name=name, refused=True)
        raise RateLimited(decision.retry_at)
    if token:
        result = certificate_verify_token(token=token)
        number = result.number if result else ""
    else:
        result = certificate_verify(number=number, name=name)
    verification_audit(via=via, result=result, number=number, name=name)
    return result
