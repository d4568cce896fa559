"""Hostile uploads and the worker: a small file whose one cell is far away (XFD1048576, XFD8000 in
an .xlsx; an .xls cell record edited past column 256; an .ods row or cell that says it repeats
thousands of times before a cell with content) is refused before the reader sees it; a file the reader cannot hold fails its one job in the job's
own memory-limited process; the worker stays alive after each and still runs the next job; a job
that crashed its worker twice is not run again; no clear copy of an upload stays on disk."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import struct
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
from gongjiang.common import excel
from gongjiang.common.excel import ReadLimits, UnusableFile, open_rows
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobMode, JobStatus, JobType
from gongjiang.jobs.models import Job
from gongjiang.jobs.services import import_create, jobs_resume_stale
from gongjiang.jobs.tests.helpers import HEADERS, roster_rows, write_ods, write_xls, write_xlsx
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


def far_xls(path: Path, row: int, column: int, *, dimension: tuple[int, int] | None = None) -> Path:
    """A roster header and one cell at (row, column) in an .xls: written at column 255 (an .xls
    holds 256 columns), then its cell record edited to ``column`` as a hostile file would be.
    ``dimension`` rewrites the declared DIMENSIONS record to (rows, columns)."""
    import olefile
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("花名册")
    for c, header in enumerate(HEADERS):
        sheet.write(0, c, header)
    sheet.write(row, min(column, 255), "x")
    book.save(str(path))
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        pos = edited = 0
        while pos + 4 <= len(data):
            kind, size = struct.unpack_from("<HH", data, pos)
            body = pos + 4
            if kind == 0x00FD and struct.unpack_from("<HH", data, body) == (row, min(column, 255)):
                struct.pack_into("<H", data, body + 2, column)
                edited += 1
            if kind == 0x0200 and dimension is not None:
                struct.pack_into("<IIHH", data, body, 0, dimension[0], 0, dimension[1])
            pos = body + size
        assert edited == 1
        ole.write_stream("Workbook", bytes(data))
    assert path.stat().st_size < 10_000
    return path


def test_an_encrypted_xls_says_so(tmp_path):
    """An .xls saved with a password carries a FILEPASS record, after which the cell records are
    ciphertext: the check says the file is encrypted instead of reading noise as a far cell."""
    import olefile

    path = write_xls(tmp_path / "locked.xls", roster_rows(3))
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        pos = 0
        while pos + 4 <= len(data):
            kind, size = struct.unpack_from("<HH", data, pos)
            if kind == 0x0042:  # CODEPAGE, early in the globals: where FILEPASS stands
                struct.pack_into("<H", data, pos, 0x002F)
            if kind == 0x00FD:  # a cell record, its row and column now ciphertext
                struct.pack_into("<HH", data, pos + 4, 0xB7E1, 0x9C3A)
            pos += 4 + size
        ole.write_stream("Workbook", bytes(data))
    with pytest.raises(UnusableFile) as exc:
        open_rows(path, limits=ReadLimits())
    assert exc.value.code == "encrypted" and "已加密" in exc.value.message


CELL = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
FAR_ODS = {
    # 16,383 empty cells, then one with content: column XFD.
    "column": f'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>{CELL}'
    "</table:table-row>",
    # One cell with content that says it repeats 16,384 times.
    "repeated_cell": '<table:table-row><table:table-cell office:value-type="string" '
    'table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row>',
    # Row 8,000 and column XFD: the grid the reader would build is 131 million cells.
    "both": f'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>{CELL}'
    '</table:table-row><table:table-row table:number-rows-repeated="8000"><table:table-cell/>'
    f"</table:table-row><table:table-row>{CELL}</table:table-row>",
    # A prefix other than "table:" and a '>' inside a quoted attribute before the repeat.
    "disguised": '<t:table-row xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
    '<t:table-cell t:formula="of:=[.A1]>0" t:number-columns-repeated="16383"/>'
    '<t:table-cell office:value-type="string"><text:p>x</text:p></t:table-cell></t:table-row>',
}


@pytest.mark.parametrize(
    "row,column,dimension",
    [(1, 16383, None), (8000, 16383, None), (8000, 16383, (2, 12)), (1, 11, (1, 16384))],
    ids=["far-column", "far-row-and-column", "lying-dimension", "declared-only"],
)
def test_an_xls_far_cell_is_refused_before_the_sheet_is_read(tmp_path, row, column, dimension):
    path = far_xls(tmp_path / "far.xls", row, column, dimension=dimension)
    with pytest.raises(UnusableFile) as exc:
        open_rows(path, limits=ReadLimits())
    assert exc.value.code == "too_many_columns"
    assert "XFD" in exc.value.message and "256 列的上限" in exc.value.message
    assert ("声明的" in exc.value.message) == (dimension == (1, 16384))


@pytest.mark.parametrize("case", sorted(FAR_ODS))
def test_an_ods_far_cell_is_refused_before_the_sheet_is_read(tmp_path, case):
    path = write_ods(tmp_path / "far.ods", [], extra=FAR_ODS[case])
    assert path.stat().st_size < 10_000
    with pytest.raises(UnusableFile) as exc:
        open_rows(path, limits=ReadLimits())
    assert exc.value.code == "too_many_columns", exc.value.message
    assert "256 列的上限" in exc.value.message


def test_ods_rows_past_the_limit_are_refused_and_empty_trailing_repeats_are_not(tmp_path):
    tall = write_ods(
        tmp_path / "tall.ods",
        [],
        extra='<table:table-row table:number-rows-repeated="4998"><table:table-cell/></table:table-row>'
        f"<table:table-row>{CELL}</table:table-row>",
    )
    with pytest.raises(UnusableFile) as exc:
        open_rows(tall, limits=ReadLimits(max_rows=1000))
    assert exc.value.code == "too_many_rows" and "第 5000 行，超过 1000 行" in exc.value.message
    # What LibreOffice writes after the last row: the empty rest of the sheet, repeated.
    rows = roster_rows(3)
    trailing = write_ods(
        tmp_path / "trailing.ods",
        rows,
        extra='<table:table-row table:number-rows-repeated="1048572">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>',
    )
    assert excel.ods_extent(trailing, ReadLimits()) == excel.SheetExtent(4, len(HEADERS))
    assert [cells[0] for _n, cells in open_rows(trailing, limits=ReadLimits()).rows] == [
        "姓名",
        *(r[0] for r in rows),
    ]


@pytest.mark.parametrize("shift", [-60, -17, -1, 0, 1, 30])
def test_an_ods_far_cell_cut_by_the_read_block_is_still_seen(tmp_path, shift):
    """The extent check reads content.xml a block at a time; a far cell whose tag straddles the
    block's end is seen whole with the next block."""
    tag = '<table:table-cell table:number-columns-repeated="16383"/>'

    def build(padding: int) -> Path:
        extra = (
            f'<table:table-row><table:table-cell office:value-type="string"><text:p>{"a" * padding}'
            f"</text:p></table:table-cell></table:table-row><table:table-row>{tag}{CELL}</table:table-row>"
        )
        return write_ods(tmp_path / "cut.ods", [], extra=extra)

    with zipfile.ZipFile(build(0)) as archive:
        at = archive.read("content.xml").index(tag.encode())
    path = build(excel._CHUNK - at + shift)
    with zipfile.ZipFile(path) as archive:
        assert archive.read("content.xml").index(tag.encode()) == excel._CHUNK + shift
    with pytest.raises(UnusableFile) as exc:
        excel.ods_extent(path, ReadLimits())
    assert exc.value.code == "too_many_columns"


def test_ordinary_xls_and_ods_pass_the_extent_check(tmp_path):
    rows = roster_rows(30)
    for path in (write_xls(tmp_path / "ok.xls", rows), write_ods(tmp_path / "ok.ods", rows)):
        opened = open_rows(path, limits=ReadLimits())
        assert [cells[1] for _n, cells in opened.rows] == ["身份证号", *(r[1] for r in rows)]
    assert excel.xls_extent(tmp_path / "ok.xls", ReadLimits()) == excel.SheetExtent(31, len(HEADERS))


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
        hostile = [
            far_cell(tmp_path / "XFD1048576.xlsx", "XFD1048576"),
            far_cell(tmp_path / "XFD8000.xlsx", "XFD8000"),
            far_xls(tmp_path / "far.xls", 8000, 16383),
            write_ods(tmp_path / "far.ods", [], extra=FAR_ODS["both"]),
        ]
        for path in hostile:
            job = _upload(actor, path)
            _wait(lambda job=job: Job.objects.get(pk=job.pk).is_finished, 60, f"the {path.name} job to end")
            job.refresh_from_db()
            assert job.status == JobStatus.FAILED
            assert "超过 256 列的上限" in job.message, (path.name, job.message)
            assert worker.poll() is None, f"the worker died on {path.name}"
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
    """A stale running job is a worker's crash: the first is resumed, the second gives the job up.
    Runs a locked database turned back (attempts) do not count as crashes."""
    actor = UserFactory(username="importer", role="city_admin")
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    common = {"job_type": JobType.IMPORT, "kind": "roster", "user": actor, "status": JobStatus.RUNNING}
    first = Job.objects.create(**common, attempts=1, started_at=long_ago, heartbeat_at=long_ago)
    turned_back = Job.objects.create(**common, attempts=4, started_at=long_ago, heartbeat_at=long_ago)
    second = Job.objects.create(**common, attempts=2, crashes=1, started_at=long_ago, heartbeat_at=long_ago)
    assert sorted(jobs_resume_stale()) == [first.pk, turned_back.pk]
    for job in (first, turned_back, second):
        job.refresh_from_db()
    assert first.status == turned_back.status == JobStatus.QUEUED
    assert first.crashes == turned_back.crashes == 1
    assert second.status == JobStatus.FAILED and second.crashes == 2
    assert "2 次" in second.message and "不再重试" in second.message
    assert AuditEntry.objects.filter(action="job.abandon", object_id=str(second.pk)).count() == 1
    assert AuditEntry.objects.filter(action="job.resume", object_id=str(turned_back.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_on_a_job_twice_gives_it_up(tmp_path, refdata):
    """The crash loop of the issue: the worker dies on a job (here killed), restarts and resumes it,
    dies again; the third start fails the job instead of running it, and removes the clear copies
    the dead processes left."""
    actor = UserFactory(username="importer", role="city_admin")
    job = _upload(actor, write_xlsx(tmp_path / "slow.xlsx", roster_rows(5)))
    env = _env()
    for attempt in (1, 2):
        # Died on it (the heartbeat is stale); the first death was found and the job resumed.
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING,
            attempts=attempt,
            crashes=attempt - 1,
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


def _import_command(env, path: Path) -> tuple[int, dict]:
    done = subprocess.run(  # noqa: S603 (our own manage.py, a path the test wrote)
        [sys.executable, "manage.py", "import", "roster", str(path)],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_the_import_command_reads_in_a_memory_limited_process(tmp_path, refdata):
    """``manage.py import`` runs the job as the worker does: a file that makes the reader abort
    (the extent limits lifted) fails that job with the reason and exit code 2; the next file imports
    under the command's system account; no clear copy stays."""
    env = _env(
        GONGJIANG_MAX_COLUMNS="20000", GONGJIANG_MAX_CELLS="999999999999", GONGJIANG_JOB_MEMORY_MB="1024"
    )
    code, payload = _import_command(env, far_cell(tmp_path / "far.xlsx", "XFD8000"))
    assert code == 2 and "异常终止" in payload["error"], payload
    crashed = Job.objects.get(filename="far.xlsx")
    assert crashed.status == JobStatus.FAILED
    assert AuditEntry.objects.filter(action="job.crash", object_id=str(crashed.pk)).count() == 1
    rows = roster_rows(4, seed=31)
    code, payload = _import_command(env, write_xls(tmp_path / "good.xls", rows))
    assert code == 0, payload
    assert payload["accepted"] == 4 and payload["rows"] == 4
    assert Job.objects.get(filename="good.xls").user.username == "system-import"
    assert _clear_copies() == []
