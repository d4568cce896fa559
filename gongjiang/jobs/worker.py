"""The background worker's loop: django-tasks-db's worker, made to survive a busy database and to
start the nightly maintenance.

- Each task is tried again with growing pauses when it fails on a transient database error (the
  SQLite lock held past the busy timeout, a dropped PostgreSQL connection). A task that still
  fails is recorded as a ``TaskFailure`` (shown to the city admin on the maintenance page) and the
  job it ran, if any, fails with the reason; the worker goes on with the next task.
- Recording a result (successful or failed) is itself retried: a locked database never ends the
  worker.
- Every hour (``GONGJIANG_AUDIT_CHECKPOINT_MINUTES``) a checkpoint of the audit chain's head.
- Once a day after 02:00 Beijing time, when no nightly run has started that day, the worker runs
  the nightly maintenance (``jobs/nightly.py``) between tasks.
"""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.utils import timezone
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import TaskFailure
from .retry import backoff, is_transient, persist

log = logging.getLogger(__name__)
NIGHTLY_CHECK_SECONDS = 60


class MaintainingWorker(Worker):
    def __init__(self, *args, nightly: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.nightly = nightly
        self._nightly_checked = 0.0
        self._checkpoint_checked = 0.0

    def run(self) -> None:
        while self.running:
            try:
                task_result = self._claim()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                log.warning("worker: database unavailable while claiming a task: %s", exc)
                close_old_connections()
                time.sleep(max(self.interval, 1.0))
                continue
            if task_result is not None:
                self.run_task(task_result)
            else:
                self.maybe_nightly()
                self.maybe_checkpoint()
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _claim(self):
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        tries = max(1, settings.GONGJIANG_TASK_TRIES)
        task = db_task_result.task
        task_result = db_task_result.task_result
        backend = type(task.get_backend())
        self.running_task = True
        try:
            task_started.send(sender=backend, task_result=task_result)
            for attempt in range(1, tries + 1):
                try:
                    value = task.call(*task_result.args, **task_result.kwargs)
                except Exception as exc:
                    if is_transient(exc) and attempt < tries and self.running:
                        log.warning(
                            "task %s: transient failure (try %d of %d): %s", task.name, attempt, tries, exc
                        )
                        close_old_connections()
                        time.sleep(backoff(attempt, settings.GONGJIANG_TASK_BACKOFF))
                        continue
                    log.exception("task %s failed", task.name)
                    self._failed(db_task_result, exc, attempt)
                    break
                persist(lambda value=value: db_task_result.set_successful(value))
                persist(lambda: _resolved(db_task_result))
                break
            task_finished.send(sender=backend, task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _failed(self, db_task_result: DBTaskResult, exc: Exception, attempts: int) -> None:
        try:
            persist(lambda: db_task_result.set_failed(exc))
            persist(lambda: _record_failure(db_task_result, exc, attempts))
            if db_task_result.task_path.endswith("jobs.tasks.job_run"):
                from .services import job_give_up

                job_id = db_task_result.task_result.kwargs.get("job_id")
                if job_id:
                    persist(lambda: job_give_up(job_id=job_id, error=str(exc)))
        except Exception:  # never end the worker over the bookkeeping of a failure
            log.exception("could not record the failure of task %s", db_task_result.pk)

    def maybe_nightly(self) -> None:
        if not self.nightly or time.monotonic() - self._nightly_checked < NIGHTLY_CHECK_SECONDS:
            return
        self._nightly_checked = time.monotonic()
        from .nightly import nightly_due, nightly_run

        try:
            if nightly_due():
                nightly_run(trigger="worker")
        except OperationalError:
            log.exception("nightly maintenance could not start")
            close_old_connections()

    def maybe_checkpoint(self) -> None:
        """Between nightly runs, a checkpoint of the audit chain's head every
        ``GONGJIANG_AUDIT_CHECKPOINT_MINUTES``: the table is first checked against the latest
        checkpoint (cheap: one row and one count), so a cut is never signed as the new head."""
        if not self.nightly or time.monotonic() - self._checkpoint_checked < NIGHTLY_CHECK_SECONDS:
            return
        self._checkpoint_checked = time.monotonic()
        from gongjiang.accounts.services import (
            audit_checkpoint,
            audit_latest_checkpoint,
            audit_verify_checkpoint,
        )

        try:
            latest = audit_latest_checkpoint()
            every = datetime.timedelta(minutes=settings.GONGJIANG_AUDIT_CHECKPOINT_MINUTES)
            if (
                latest
                and latest.get("valid")
                and timezone.now() - datetime.datetime.fromisoformat(latest["at"]) < every
            ):
                return
            problems = audit_verify_checkpoint()
            if problems:
                log.error("audit log does not match its checkpoint: %s", "；".join(problems))
                return
            audit_checkpoint()
        except OperationalError:
            log.exception("audit checkpoint could not be written")
            close_old_connections()


def _arguments(db_task_result: DBTaskResult) -> dict:
    return {
        "args": list(db_task_result.args_kwargs.get("args", [])),
        "kwargs": db_task_result.args_kwargs.get("kwargs", {}),
    }


@transaction.atomic
def _record_failure(db_task_result: DBTaskResult, exc: Exception, attempts: int) -> None:
    now = timezone.now()
    arguments = _arguments(db_task_result)
    failure = TaskFailure.objects.filter(
        task=db_task_result.task_path, arguments=arguments, resolved_at__isnull=True
    ).first()
    if failure is None:
        failure = TaskFailure(task=db_task_result.task_path, arguments=arguments, first_at=now)
    failure.attempts += attempts
    failure.error = f"{type(exc).__name__}: {exc}"[:2000]
    failure.last_at = now
    failure.save()


def _resolved(db_task_result: DBTaskResult) -> None:
    TaskFailure.objects.filter(
        task=db_task_result.task_path, arguments=_arguments(db_task_result), resolved_at__isnull=True
    ).update(resolved_at=timezone.now())
