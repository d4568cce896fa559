"""Background exports: the list a user was looking at, written to an encrypted file with progress."""

from __future__ import annotations

import logging
from itertools import islice

from django.utils import timezone

from gongjiang.accounts.services import audit_record
from gongjiang.common.excel import iter_csv, write_xlsx

from . import files
from .choices import JobStatus
from .models import Job
from .retry import is_transient
from .services import export_view_class

log = logging.getLogger(__name__)
PROGRESS_EVERY = 5_000


def run_export(job: Job) -> Job:
    options = job.options
    job.status, job.attempts, job.started_at, job.phase = (
        JobStatus.RUNNING,
        job.attempts + 1,
        timezone.now(),
        "生成文件",
    )
    job.save(update_fields=["status", "attempts", "started_at", "phase"])
    view = export_view_class(job.kind)
    plan = view.export_plan(
        user=job.user, params=options.get("params", {}), reveal=options.get("reveal", False)
    )
    total = plan.queryset.count()
    Job.objects.filter(pk=job.pk).update(progress_total=max(total, 1), heartbeat_at=timezone.now())
    written = {"rows": 0}

    def rows():
        iterator = plan.rows()
        while True:
            chunk = list(islice(iterator, PROGRESS_EVERY))
            if not chunk:
                return
            yield from chunk
            written["rows"] += len(chunk)
            Job.objects.filter(pk=job.pk).update(progress_done=written["rows"], heartbeat_at=timezone.now())

    fmt = options.get("format", "xlsx")
    try:
        if fmt == "csv":
            path = files.new_temp_path(".csv")
            try:
                with path.open("wb") as out:
                    for block in iter_csv(plan.headers, rows()):
                        out.write(block)
                with path.open("rb") as src:
                    job.output_file, job.sha256, job.size = files.store_encrypted(src, suffix=".csv")
            finally:
                path.unlink(missing_ok=True)
        else:
            with write_xlsx(plan.headers, rows(), sheet=options.get("title") or "数据") as handle:
                job.output_file, job.sha256, job.size = files.store_encrypted(handle, suffix=".xlsx")
    except Exception as exc:
        if is_transient(exc):  # the database busy or gone: the worker runs the task again
            raise
        # Disk full: no partial file stays behind, the job says it failed.
        log.exception("export job %s failed", job.pk)
        job.status, job.message = JobStatus.FAILED, "导出失败，未生成文件；请稍后重试"
        job.finished_at = timezone.now()
        job.save()
        raise
    job.status = JobStatus.SUCCEEDED
    job.result = {"rows": written["rows"]}
    job.message = "已导出 %d 行" % written["rows"]
    job.phase = ""
    job.progress_done = job.progress_total
    job.finished_at = timezone.now()
    job.save()
    audit_record(
        actor=job.user,
        action="export",
        obj=job,
        changes={
            "list": plan.object_type,
            "format": fmt,
            "filters": options.get("params", {}),
            "rows": written["rows"],
            "masked": not options.get("reveal", False),
            "reason": options.get("reason", ""),
        },
    )
    return job
