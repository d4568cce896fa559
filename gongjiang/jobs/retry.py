"""Transient database failures in background work: which errors are worth another try, and a
small helper to try a write again with backoff.

On SQLite a long write elsewhere (an import's merge, a dashboard rebuild) can hold the lock past
the busy timeout; on PostgreSQL the connection can drop. Neither says anything about the task, so
the worker tries the task again with growing pauses (``manage.py worker``), and a task that keeps
failing is recorded (``TaskFailure``) and shown to the city admin."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, close_old_connections

log = logging.getLogger(__name__)
T = TypeVar("T")


class TransientFailure(Exception):
    """A job's process ended on a transient database error: run the task again later."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, TransientFailure):
        return True
    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        return any(
            word in text
            for word in (
                "locked",
                "busy",
                "connection",
                "server closed",
                "terminating",
                "could not serialize",
            )
        )
    return False


def backoff(attempt: int, base: float) -> float:
    """Pause before try ``attempt`` + 1: base, 2×base, 4×base … at most 60 s."""
    return min(60.0, base * 2 ** (attempt - 1))


def persist(write: Callable[[], T], *, tries: int = 8, base: float = 0.5) -> T:
    """Run a small write, again with backoff while the database is transiently unavailable."""
    for attempt in range(1, tries + 1):
        try:
            return write()
        except Exception as exc:
            if not is_transient(exc) or attempt == tries:
                raise
            log.warning("transient database error, try %d of %d: %s", attempt, tries, exc)
            close_old_connections()
            time.sleep(backoff(attempt, base))
    raise AssertionError("unreachable")
