"""The nightly maintenance: a registry of named steps that apps join from their ``ready()``, run
one after another, each on its own (a failing step is recorded and the others still run), and a
record of each run and step (``NightlyRun``, ``NightlyStep``) shown to the city admin.

``python manage.py nightly`` runs it now; the worker (``manage.py worker``) starts it once a day
after 02:00 Beijing time (``GONGJIANG_NIGHTLY_AT``) when it has not run that day.

A step is a function taking nothing and returning a dict of what it did (counts), JSON-able; it
raises to fail. Apps register in ``AppConfig.ready()``::

    from gongjiang.jobs.nightly import register_step
    register_step("certificates", "证书到期失效", certificates_expire)
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.services import audit_record

from .models import NightlyRun, NightlyStep

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    name: str
    label: str  # Chinese, for the page
    func: Callable[[], dict]


STEPS: dict[str, Step] = {}


def register_step(name: str, label: str, func: Callable[[], dict]) -> None:
    """Add a step (once per name; registering a name again replaces it)."""
    STEPS[name] = Step(name, label, func)


def nightly_run(*, trigger: str = "command", only: list[str] | None = None) -> NightlyRun:
    """Run every registered step (or those named in ``only``) and record the run."""
    now = timezone.now()
    run = NightlyRun.objects.create(started_at=now, trigger=trigger, day=timezone.localdate(now))
    all_ok = True
    for step in list(STEPS.values()):
        if only and step.name not in only:
            continue
        started = time.monotonic()
        try:
            with transaction.atomic():
                result = step.func() or {}
            ok, message = True, ""
        except Exception as exc:  # one step's failure is recorded; the others still run
            log.exception("nightly step %s failed", step.name)
            ok, result = False, {}
            message = str(exc)[:2000] or type(exc).__name__
        all_ok &= ok
        NightlyStep.objects.create(
            run=run,
            name=step.name,
            label=step.label,
            ok=ok,
            result=result,
            message=message,
            seconds=round(time.monotonic() - started, 3),
        )
    with transaction.atomic():
        NightlyRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), ok=all_ok)
        run.refresh_from_db()
        audit_record(
            actor=None,
            username="system",
            action="nightly.run",
            obj=run,
            changes={s.name: (s.result if s.ok else {"failed": s.message[:200]}) for s in run.steps.all()},
            result="ok" if all_ok else "failed",
        )
    return run


def nightly_due(now: datetime.datetime | None = None) -> bool:
    """Whether the worker should start the nightly run now: past 02:00 Beijing time and no run
    started today (Beijing)."""
    local = timezone.localtime(now or timezone.now())
    if local.time() < datetime.time.fromisoformat(settings.GONGJIANG_NIGHTLY_AT):
        return False
    return not NightlyRun.objects.filter(day=local.date()).exists()
