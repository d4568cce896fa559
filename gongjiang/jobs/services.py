"""Writes of the jobs app: creating, running and committing import jobs."""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import logging
import os
import resource
import signal
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import NotInScope
from gongjiang.accounts.services import audit_record

from . import files
from .choices import JobMode, JobStatus, JobType
from .models import Job
from .registry import get_kind
from .retry import TransientFailure, is_transient, persist

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # prctl(2)
# A job that was running when its worker died this many times is not run again.
MAX_CRASHES = 2
EXIT_TRANSIENT = 75  # EX_TEMPFAIL: a job's process ended on a transient database error


def _enqueue(job: Job) -> None:
    from .tasks import job_run

    transaction.on_commit(lambda: job_run.enqueue(job_id=job.pk))


@transaction.atomic
def import_create(
    *, actor: User, kind: str, upload: BinaryIO, filename: str, mode: str = JobMode.DRY_RUN
) -> Job:
    """Store an uploaded file (encrypted) and queue an import job for it."""
    import_kind = get_kind(kind)
    if not actor.has_perm(import_kind.permission):
        raise PermissionDenied
    if mode not in JobMode.values:
        raise ValidationError("未知的导入方式")
    filename = Path(filename or "upload").name[:255]
    stored, sha256, size = files.store_encrypted(upload, suffix=Path(filename).suffix.lower()[:8])
    job = Job.objects.create(
        job_type=JobType.IMPORT,
        kind=kind,
        mode=mode,
        user=actor,
        filename=filename,
        sha256=sha256,
        size=size,
        input_file=stored,
    )
    audit_record(
        actor=actor,
        action="import.upload",
        obj=job,
        changes={"kind": kind, "file": filename, "sha256": sha256, "size": size},
    )
    _enqueue(job)
    return job


def import_run_file(
    *, actor: User, kind: str, path: Path, mode: str = JobMode.COMMIT, isolated: bool = False
) -> Job:
    """Import a file on disk now (the command line, the API): the same job record, pipeline and
    audit as the page, without the queue. The stored upload is removed afterwards.

    ``isolated`` runs it as the worker does, in a child process with a memory limit (the command
    line): a file that makes the reader abort fails the job with the reason, and a database that
    stays locked gets a few more tries."""
    from .pipeline import run_import

    import_kind = get_kind(kind)
    if not actor.has_perm(import_kind.permission):
        raise PermissionDenied
    with path.open("rb") as fh:
        stored, sha256, size = files.store_encrypted(fh, suffix=path.suffix.lower()[:8])
    job = Job.objects.create(
        job_type=JobType.IMPORT,
        kind=kind,
        mode=mode,
        user=actor,
        filename=path.name,
        sha256=sha256,
        size=size,
        input_file=stored,
    )
    try:
        if not isolated:
            return run_import(job)
        persist(lambda: job_execute_isolated(job_id=job.pk, actor=actor), tries=4, base=2.0)
        job.refresh_from_db()
        return job
    finally:
        files.remove(stored)


@transaction.atomic
def import_commit(*, actor: User, job: Job, valid_only: bool = False) -> Job:
    """After a dry run, import the same file for real (all-or-nothing, or the valid rows only)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.user_id != actor.pk:
        raise NotInScope(job, "commit")  # only its uploader confirms an import: 404 to anyone else
    if job.mode != JobMode.DRY_RUN or job.status != JobStatus.SUCCEEDED:
        raise ValidationError("只有试导入成功完成的任务可以确认导入")
    if Job.objects.filter(parent=job).exists():
        raise ValidationError("该文件已经确认导入过")
    commit = Job.objects.create(
        job_type=JobType.IMPORT,
        kind=job.kind,
        mode=JobMode.VALID_ONLY if valid_only else JobMode.COMMIT,
        parent=job,
        user=actor,
        filename=job.filename,
        sha256=job.sha256,
        size=job.size,
        input_file=job.input_file,
    )
    audit_record(
        actor=actor,
        action="import.confirm",
        obj=commit,
        changes={"dry_run": job.pk, "valid_only": valid_only},
    )
    _enqueue(commit)
    return commit


def job_execute(*, job_id: int, actor: User | None = None) -> Job:
    """Run a queued (or interrupted) job; used by the worker and the import command. ``actor`` is
    the job's user as the caller holds it (the command line's system account is active only in
    memory)."""
    from .exports import run_export
    from .pipeline import run_import

    job = Job.objects.select_related("user").get(pk=job_id)
    if actor is not None and actor.pk == job.user_id:
        job.user = actor
    if job.is_finished:
        return job
    return run_export(job) if job.job_type == JobType.EXPORT else run_import(job)


def job_execute_isolated(*, job_id: int, actor: User | None = None) -> None:
    """Run a job in a child process with a memory limit (the worker's way): a file that makes the
    reader abort or run out of memory ends that child and fails its one job; the worker lives on.
    The child's clear working files are removed whatever way it ended."""
    from django.db import connections

    connections.close_all()  # the child opens its own; the parent reconnects when it next asks
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child ends in os._exit, so coverage never sees it)
        code = 1
        try:
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
                signal.signal(signum, signal.SIG_DFL)
            with contextlib.suppress(OSError, AttributeError):
                ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # dies with its worker
            limit = settings.GONGJIANG_JOB_MEMORY_MB * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            job_execute(job_id=job_id, actor=actor)
            code = 0
        except BaseException as exc:
            log.exception("job %s failed in its process", job_id)
            code = EXIT_TRANSIENT if is_transient(exc) else 1
        finally:
            with contextlib.suppress(Exception):
                connections.close_all()
            os._exit(code)
    status = _wait_child(pid)
    files.remove_work_dirs(pid)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == EXIT_TRANSIENT:
        raise TransientFailure(f"job {job_id}: the database was busy or unavailable")
    if status:
        persist(lambda: job_process_ended(job_id=job_id, status=status))


def _wait_child(pid: int) -> int:
    while True:
        try:
            _pid, status = os.waitpid(pid, 0)
        except InterruptedError:
            continue
        except BaseException:  # the worker told to stop: its job's process stops with it
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            files.remove_work_dirs(pid)
            raise
        return status


def _ending(status: int) -> str:
    if os.WIFSIGNALED(status):
        return signal.Signals(os.WTERMSIG(status)).name
    return f"exit {os.WEXITSTATUS(status)}"


@transaction.atomic
def job_process_ended(*, job_id: int, status: int) -> Job:
    """A job's process ended abnormally: the job fails with the reason (unless it had finished)."""
    job = Job.objects.select_for_update().select_related("user").get(pk=job_id)
    if job.is_finished:
        return job
    how = _ending(status)
    killed = os.WIFSIGNALED(status)
    job.status = JobStatus.FAILED
    job.message = (
        "处理该文件时后台进程异常终止（%s），多为文件结构异常（如远处的单元格）或超出内存上限；"
        "数据库未作任何修改。请检查文件（删除多余的行列）后重新上传。" % how
        if killed
        else "导入时发生系统错误，数据库未作任何修改；请稍后重试或联系管理员"
    )
    job.phase = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "phase", "finished_at"])
    audit_record(actor=job.user, action="job.crash", obj=job, changes={"ending": how}, result="failed")
    return job


@transaction.atomic
def job_give_up(*, job_id: int, error: str) -> None:
    """The worker tried a job's task again and again and it kept failing (the database stayed
    locked): the job fails with the reason instead of staying 进行中."""
    job = Job.objects.select_for_update().select_related("user").get(pk=job_id)
    if job.is_finished:
        return
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        phase="",
        finished_at=timezone.now(),
        message="数据库持续繁忙，任务多次重试后仍未完成，数据库未作任何修改；请稍后重新提交。",
    )
    audit_record(
        actor=job.user, action="task.failed", obj=job, changes={"error": error[:200]}, result="failed"
    )


def jobs_resume_stale(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again the jobs whose worker died: running, with no heartbeat for a while. Their merge
    never committed (it is one transaction), so running them again finishes them cleanly. A job
    found so for the ``MAX_CRASHES``-th time is not run again: it fails with the reason, so one
    file cannot stop the worker after every restart. Runs that a locked database turned back do
    not count: they ended cleanly."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.GONGJIANG_JOB_STALE_SECONDS)
    stale = Job.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    resumed = []
    for job in stale.select_related("user"):
        crashes = job.crashes + 1
        with transaction.atomic():
            if crashes >= MAX_CRASHES:
                Job.objects.filter(pk=job.pk).update(
                    status=JobStatus.FAILED,
                    crashes=crashes,
                    phase="",
                    finished_at=timezone.now(),
                    message="该任务已 %d 次在运行中使后台进程中断，不再重试；数据库未作任何修改。"
                    "请检查文件（是否过大或含有远处的单元格）后重新上传。" % crashes,
                )
                audit_record(
                    actor=job.user,
                    action="job.abandon",
                    obj=job,
                    changes={"crashes": crashes, "attempts": job.attempts},
                    result="failed",
                )
                continue
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.QUEUED, crashes=crashes, phase="等待重新运行"
            )
            audit_record(actor=job.user, action="job.resume", obj=job, changes={"crashes": crashes})
            _enqueue(job)
        resumed.append(job.pk)
    return resumed


@transaction.atomic
def export_create(*, actor: User, kind: str, fmt: str, params: dict, reveal: bool, reason: str = "") -> Job:
    """Queue a background export of a list view (``kind`` is the view's dotted path)."""
    view = export_view_class(kind)
    view.export_plan(user=actor, params=params, reveal=reveal)  # permission checks now, not in the worker
    if fmt not in ("xlsx", "csv"):
        raise ValidationError("导出格式只能是 xlsx 或 csv")
    job = Job.objects.create(
        job_type=JobType.EXPORT,
        kind=kind,
        mode=JobMode.COMMIT,
        user=actor,
        filename=f"{view.export_name}-{timezone.localtime():%Y%m%d-%H%M%S}.{fmt}",
        options={
            "format": fmt,
            "params": params,
            "reveal": reveal,
            "reason": reason[:200],
            "title": view.title,
        },
    )
    _enqueue(job)
    return job


def export_view_class(kind: str) -> type:
    """The list view a background export job was started from (its dotted path): only a class
    that declares itself an export source (``ObjectListView`` does) is accepted."""
    cls = import_string(kind)
    if not (isinstance(cls, type) and getattr(cls, "export_source", False)):
        raise ValueError(kind)
    return cls
