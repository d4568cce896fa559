"""Hostile uploads and the worker: a small file whose one cell is far away (XFD1048576, XFD8000)
is refused before the reader sees it; a file the reader cannot hold fails its one job in the job's
own memory-limited process; the worker stays alive after each and still runs the next job; a job
that crashed its worker twice is not run again; no clear copy of an upload stays on disk."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from django.conf import settings
from django.utils import timezone

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.common.excel import ReadLimits, UnusableFile, open_rows
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobMode, JobStatus, JobType
from gongjiang.jobs.models import Job
from gongjiang.jobs.services import import_create, jobs_resume_stale
from gongjiang.jobs.tests.helpers import HEADERS, roster_rows, write_xlsx
from gongjiang.jobs.tests.test_worker import _database_url, _wait


def far_cell(path: Path, cell: str, *, dimension: str | None = None) -> Path:
    """A roster header and one cell far away; ``dimension`` rewrites the declared range (a file
    that lies about its size)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    sheet.write(cell, "x")
    book.close()
    if dimension is not None:
        data = {}
        with zipfile.ZipFile(path) as archive:
            for entry in archive.infolist():
                data[entry.filename] = archive.read(entry)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in data.items():
                if name.startswith("xl/worksheets/"):
                    content = re.sub(rb'<dimension ref="[^"]*"/>', dimension.encode(), content)
                archive.writestr(name, content)
    assert path.stat().st_size < 10_000
    return path


@pytest.mark.parametrize("cell", ["XFD1048576", "XFD8000"])
@pytest.mark.parametrize("dimension", [None, '<dimension ref="A1:L1"/>', ""])
def test_a_far_cell_is_refused_before_the_sheet_is_read(tmp_path, cell, dimension):
    path = far_cell(tmp_path / "far.xlsx", cell, dimension=dimension)
    with pytest.raises(UnusableFile) as exc:
        open_rows(path, limits=ReadLimits())
    assert exc.value.code == "too_many_columns"
    assert "XFD" in exc.value.message and "256 列的上限" in exc.value.message


def test_rows_and_cells_past_the_limits_are_refused(tmp_path):
    tall = far_cell(tmp_path / "tall.xlsx", "B5000", dimension="")
    with pytest.raises(UnusableFile) as exc:
        open_rows(tall, limits=ReadLimits(max_rows=1000))
    assert exc.value.code == "too_many_rows" and "第 5000 行，超过 1000 行" in exc.value.message
    # Within each limit, but the grid from A1 to the far cell is too many cells to hold.
    wide = far_cell(tmp_path / "wide.xlsx", "IV999999", dimension='<dimension ref="A1:B1"/>')
    with pytest.raises(UnusableFile) as exc:
        open_rows(wide, limits=ReadLimits())
    assert exc.value.code == "too_many_cells"


def test_an_ordinary_sheet_passes_the_extent_check(tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", roster_rows(30))
    opened = open_rows(path, limits=ReadLimits())
    assert sum(1 for _ in opened.rows) == 31


def _env(**extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "1",
        "GONGJIANG_JOB_DIR": str(settings.GONGJIANG_JOB_DIR),
        "GONGJIANG_WORK_DIR": str(settings.GONGJIANG_WORK_DIR),
        "GONGJIANG_AUDIT_CHECKPOINT_FILE": str(settings.GONGJIANG_AUDIT_CHECKPOINT_FILE),
        "GONGJIANG_JOB_STALE_SECONDS": "1",
        **extra,
    }


def _start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1", "--no-nightly"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _upload(actor, path: Path) -> Job:
    with path.open("rb") as fh:
        return import_create(actor=actor, kind="roster", upload=fh, filename=path.name, mode=JobMode.DRY_RUN)


def _clear_copies() -> list[Path]:
    """Clear files anywhere a job may have left one: the work directory and the job directory."""
    work = Path(settings.GONGJIANG_WORK_DIR)
    left = [p for p in work.rglob("*") if p.is_file()] if work.exists() else []
    return left + [p for p in Path(settings.GONGJIANG_JOB_DIR).iterdir() if not p.name.endswith(".enc")]


@pytest.mark.django_db(transaction=True)
def test_the_worker_outlives_far_cell_files_and_runs_the_next_job(tmp_path, refdata):
    actor = UserFactory(username="importer", role="city_admin")
    worker = _start_worker(_env())
    try:
        for cell in ("XFD1048576", "XFD8000"):
            job = _upload(actor, far_cell(tmp_path / f"{cell}.xlsx", cell))
            _wait(lambda job=job: Job.objects.get(pk=job.pk).is_finished, 60, f"the {cell} job to end")
            job.refresh_from_db()
            assert job.status == JobStatus.FAILED
            assert "超过 256 列的上限" in job.message
            assert worker.poll() is None, "the worker died"
        good = _upload(actor, write_xlsx(tmp_path / "good.xlsx", roster_rows(5)))
        _wait(lambda: Job.objects.get(pk=good.pk).is_finished, 60, "the next job to end")
        assert Job.objects.get(pk=good.pk).status == JobStatus.SUCCEEDED
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(10)
    assert _clear_copies() == []


@pytest.mark.django_db(transaction=True)
def test_a_reader_crash_fails_one_job_in_its_memory_limited_process(tmp_path, refdata):
    """With the extent limits lifted, the XFD8000 file reaches the reader and makes it abort: the
    job's process dies under its memory limit, the job fails with the reason, the worker lives and
    the clear copy of the upload is gone."""
    actor = UserFactory(username="importer", role="city_admin")
    env = _env(
        GONGJIANG_MAX_COLUMNS="20000", GONGJIANG_MAX_CELLS="999999999999", GONGJIANG_JOB_MEMORY_MB="1024"
    )
    worker = _start_worker(env)
    try:
        job = _upload(actor, far_cell(tmp_path / "far.xlsx", "XFD8000"))
        _wait(lambda: Job.objects.get(pk=job.pk).is_finished, 120, "the job to end")
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED
        assert "异常终止" in job.message, job.message
        assert AuditEntry.objects.filter(action="job.crash", object_id=str(job.pk)).count() == 1
        assert worker.poll() is None, "the worker died"
        good = _upload(actor, write_xlsx(tmp_path / "good.xlsx", roster_rows(5)))
        _wait(lambda: Job.objects.get(pk=good.pk).is_finished, 60, "the next job to end")
        assert Job.objects.get(pk=good.pk).status == JobStatus.SUCCEEDED
    finally:
        worker.terminate()
        worker.wait(10)
    assert _clear_copies() == []


@pytest.mark.django_db
def test_a_job_that_crashed_its_worker_twice_is_not_resumed():
    actor = UserFactory(username="importer", role="city_admin")
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    common = {"job_type": JobType.IMPORT, "kind": "roster", "user": actor, "status": JobStatus.RUNNING}
    once = Job.objects.create(**common, attempts=1, started_at=long_ago, heartbeat_at=long_ago)
    twice = Job.objects.create(**common, attempts=2, started_at=long_ago, heartbeat_at=long_ago)
    assert jobs_resume_stale() == [once.pk]
    once.refresh_from_db()
    twice.refresh_from_db()
    assert once.status == JobStatus.QUEUED
    assert twice.status == JobStatus.FAILED
    assert "2 次" in twice.message and "不再重试" in twice.message
    assert AuditEntry.objects.filter(action="job.abandon", object_id=str(twice.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_on_a_job_twice_gives_it_up(tmp_path, refdata):
    """The crash loop of the issue: the worker dies on a job (here killed), restarts and resumes it,
    dies again; the third start fails the job instead of running it, and removes the clear copies
    the dead processes left."""
    actor = UserFactory(username="importer", role="city_admin")
    job = _upload(actor, write_xlsx(tmp_path / "slow.xlsx", roster_rows(5)))
    env = _env()
    for attempt in (1, 2):
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING,
            attempts=attempt,
            heartbeat_at=timezone.now() - timezone.timedelta(hours=1),
        )
        leftover = Path(settings.GONGJIANG_WORK_DIR) / f"p{4_000_000 + attempt}@{socket.gethostname()}-dead"
        leftover.mkdir(parents=True)
        (leftover / "clear.xlsx").write_bytes(b"320706199001011234")
    (Path(settings.GONGJIANG_JOB_DIR) / "tmpold.xlsx").write_bytes(b"clear")
    worker = _start_worker(env)
    try:
        _wait(lambda: Job.objects.get(pk=job.pk).is_finished, 60, "the job to be given up")
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(10)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "不再重试" in job.message
    assert _clear_copies() == []


def test_a_decrypted_copy_is_private_and_gone_after_an_error(tmp_path):
    from io import BytesIO

    name, _sha, _size = files.store_encrypted(BytesIO(b"320706199001011234"), suffix=".xlsx")
    with pytest.raises(RuntimeError), files.decrypted_copy(name, suffix=".xlsx") as path:
        assert path.read_bytes() == b"320706199001011234"
        assert path.parent.stat().st_mode & 0o077 == 0
        assert Path(settings.GONGJIANG_JOB_DIR) not in path.parents
        raise RuntimeError
    assert not path.exists() and not path.parent.exists()


def test_leftovers_of_dead_processes_go_and_live_or_other_hosts_stay():
    work = files.work_root()
    host = socket.gethostname()
    dead = work / f"p4000009@{host}-abc"
    alive = work / f"p{os.getpid()}@{host}-abc"
    elsewhere = work / "p4000009@another-web-host-abc"  # a live download on another machine
    for folder in (dead, alive, elsewhere):
        folder.mkdir()
        (folder / "clear.xlsx").write_bytes(b"x")
    assert files.remove_leftovers()["work_dirs"] == 1
    assert not dead.exists() and alive.exists() and elsewhere.exists()
    old = time.time() - files.OTHER_HOST_GRACE - 60
    os.utime(elsewhere, (old, old))
    files.remove_leftovers()
    assert not elsewhere.exists()
