"""The one import pipeline, the same for every KIND (STYLE.md, "Bulk data is set-based").

1. read rows from the file in a stream (``common/excel.py``);
2. find the header row, map columns by their names and aliases;
3. convert and check each row with the KIND's plain functions, collecting every error (on a large
   file in forked converter processes, each reading every other range of rows itself);
4. write accepted rows range by range to the KIND's staging table (COPY on PostgreSQL);
5. merge staging into the real tables with set-based SQL in one transaction (rolled back for a
   dry run, skipped when rows were rejected unless the user chose "valid rows only");
6. record counts, the error report (encrypted), the outcome; audit.

A run can be repeated: it starts by clearing the job's staging rows, and the merge is atomic, so a
worker killed half-way leaves the real tables as they were and a rerun finishes the job.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import datetime
import logging
import multiprocessing
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongjiang.accounts.services import audit_record
from gongjiang.common.excel import SheetWriter, UnusableFile, cell_text, cell_value, open_rows

from . import files, staging
from .choices import JobMode, JobStatus
from .models import Job
from .registry import ImportKind, RowErrors, get_kind, normalise_header
from .retry import is_transient

log = logging.getLogger(__name__)

BATCH_ROWS = 5_000  # file rows in a range
IN_FLIGHT = 3  # ranges being converted while the one before is written: bounds memory
PR_SET_PDEATHSIG = 1  # prctl(2)
PARALLEL_MIN_BYTES = 1 << 20  # below ~10,000 rows forking a converter costs more than it saves
HEADER_SEARCH_ROWS = 30
MAX_LISTED_CONFLICTS = 50_000


@dataclass
class Header:
    row_number: int
    cells: list  # the header row as written in the file
    positions: dict[int, str]  # cell index -> column key


def find_header(rows, kind: ImportKind) -> Header:
    """The first row (of the first 30) that names at least two known columns; title rows above it
    (merged cells such as "2026年第三季度技能人才花名册") are skipped."""
    mapping = kind.header_map()
    for seen, (number, cells) in enumerate(rows):
        if seen >= HEADER_SEARCH_ROWS:
            break
        positions: dict[int, str] = {}
        duplicates: list[str] = []
        for index, cell in enumerate(cells):
            key = mapping.get(normalise_header(cell)) if cell is not None else None
            if key is None:
                continue
            if key in positions.values():
                duplicates.append(str(cell))
            positions[index] = key
        if len(positions) >= 2:
            if duplicates:
                raise UnusableFile("表头中“%s”与其他列重复，请删除重复的列" % "、".join(duplicates), "header")
            missing = [c.header for c in kind.columns if c.required and c.key not in positions.values()]
            if missing:
                raise UnusableFile("缺少必填列：%s（第%d行表头）" % ("、".join(missing), number), "header")
            return Header(number, list(cells), positions)
    known = "、".join(c.header for c in kind.columns)
    raise UnusableFile("没有找到可识别的表头。请使用模板中的列名：%s" % known, "header")


class ErrorReport:
    """The rejected rows as sent, with a reason column, ready to fix and send back (xlsx)."""

    def __init__(self, header: Header, kind: ImportKind):
        self.path = files.new_temp_path(".xlsx")
        self.book = xlsxwriter.Workbook(
            str(self.path), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        self.sheet = self.book.add_worksheet("错误行")
        # Cells are written as sent: text as string cells (never a formula, so no apostrophe is
        # added), numbers as the text the file held, dates as date cells; widths follow the content.
        self.writer = SheetWriter(self.book, self.sheet)
        self.bold = self.book.add_format({"bold": True, "bg_color": "#F8D7DA"})
        self.text = self.writer.text
        self.width = len(header.cells)
        titles = ["原行号", *[str(c) if c is not None else "" for c in header.cells], "错误原因"]
        for col, title in enumerate(titles):
            self.writer.write(0, col, title, self.bold)
        self.rows = 0
        self.kind = kind
        self.extra_writers: list[SheetWriter] = []

    def add(self, number: int, cells: list, reasons: list[str]) -> None:
        self.rows += 1
        self.writer.write(self.rows, 0, number)
        for col in range(self.width):
            value = cells[col] if col < len(cells) else None
            if value is None:
                continue
            if isinstance(value, datetime.datetime):
                value = value.date() if value.time() == datetime.time() else value
            elif not isinstance(value, datetime.date):
                value = str(cell_value(value))
            self.writer.write(self.rows, col + 1, value)
        self.writer.write(self.rows, self.width + 1, "；".join(reasons))

    def add_conflicts(self, conflicts: list[dict]) -> None:
        if not conflicts:
            return
        writer = SheetWriter(self.book, self.book.add_worksheet("冲突"))
        self.extra_writers.append(writer)
        keys = list(conflicts[0].keys())
        for col, key in enumerate(keys):
            writer.write(0, col, key, self.bold)
        for r, item in enumerate(conflicts[:MAX_LISTED_CONFLICTS], start=1):
            for col, key in enumerate(keys):
                writer.write(r, col, str(cell_value(item.get(key))))

    def close(self) -> Path:
        self.writer.fit()
        for writer in self.extra_writers:
            writer.fit()
        self.book.close()
        return self.path


def _is_blank(cells: list) -> bool:
    for cell in cells:  # noqa: SIM110 (a loop, not all(): asked of every row, most end at the first cell)
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True


def _progress(job: Job, **fields) -> None:
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now(), **fields)


def run_import(job: Job) -> Job:
    """Run one import job to its end; returns the job with its result. Raises nothing for bad
    files or rows: those end as a job with status and message."""
    kind = get_kind(job.kind)
    actor = job.user
    job.status, job.attempts, job.started_at = JobStatus.RUNNING, job.attempts + 1, timezone.now()
    job.phase, job.message, job.progress_done = "读取文件", "", 0
    job.save(update_fields=["status", "attempts", "started_at", "phase", "message", "progress_done"])
    staging.clear(kind.staging_table, job.pk)
    staging.clear_finished(kind.staging_table)  # rows a killed worker left behind
    report: ErrorReport | None = None
    try:
        ctx = kind.start(actor=actor, job_id=job.pk)
        with files.decrypted_copy(job.input_file, suffix=Path(job.filename).suffix) as path:
            opened = open_rows(path, filename=job.filename)
            _progress(job, progress_total=max(opened.total, 1), phase="校验")
            header = find_header(opened.rows, kind)
            report = ErrorReport(header, kind)
            # Forked once the file is open: a loaded sheet is shared with the converters, not copied.
            with _converters(
                kind, ctx, opened, parallel=path.stat().st_size >= PARALLEL_MIN_BYTES
            ) as convert:
                counts = _check_and_stage(job, kind, ctx, convert, header, report, total=max(opened.total, 1))
        if counts["rows"] == 0:
            raise UnusableFile("文件只有表头，没有数据行", "no_rows")
        _progress(job, phase="合并写入", progress_done=max(opened.total, 1) - 1)
        merge_started = time.monotonic()
        outcome = _merge(job, kind, ctx, counts)
        merge_seconds = round(time.monotonic() - merge_started, 3)
        report.add_conflicts(outcome.conflicts if outcome else [])
        report_path = report.close()
        report = None
        if counts["rejected"] or (outcome and outcome.conflicts):
            with report_path.open("rb") as fh:
                job.output_file, _sha, _size = files.store_encrypted(fh, suffix=".xlsx")
        report_path.unlink(missing_ok=True)
        job.result = {**counts, **(outcome.counts if outcome else _zero_counts(kind))}
        if outcome:  # how long the merge's one write transaction lasted (on SQLite: held the lock)
            job.result["merge_seconds"] = merge_seconds
        job.status = (
            JobStatus.REJECTED if counts["rejected"] and job.mode == JobMode.COMMIT else JobStatus.SUCCEEDED
        )
        job.message = _summary(job)
    except UnusableFile as exc:
        job.status, job.message = JobStatus.FAILED, exc.message
        job.result = {"unusable": True, "code": exc.code}
    except Exception as exc:
        if is_transient(exc):  # the database busy or gone: the worker runs the task again
            raise
        log.exception("import job %s failed", job.pk)
        job.status, job.message = (
            JobStatus.FAILED,
            "导入时发生系统错误，数据库未作任何修改；请稍后重试或联系管理员",
        )
        raise
    finally:
        if report is not None:
            report.close().unlink(missing_ok=True)
        staging.clear(kind.staging_table, job.pk)
        job.phase = ""
        job.finished_at = timezone.now()
        job.progress_done = job.progress_total
        job.save()
    if job.mode == JobMode.DRY_RUN or job.status != JobStatus.SUCCEEDED or not job.result.get("accepted"):
        audit_record(
            actor=actor,
            action="import.dry_run" if job.mode == JobMode.DRY_RUN else "import.nothing_written",
            obj=job,
            changes={"kind": job.kind, "file": job.filename, "sha256": job.sha256, "result": job.result},
            result="ok" if job.status == JobStatus.SUCCEEDED else "failed",
        )
    return job


def _zero_counts(kind: ImportKind) -> dict[str, int]:
    return dict.fromkeys(kind.result_keys, 0)


def _check_and_stage(
    job: Job, kind: ImportKind, ctx, convert, header: Header, report: ErrorReport, *, total: int
) -> dict[str, int]:
    """Convert and check every row, write the accepted ones to staging, range by range of file
    rows. On a large file forked processes read and convert the ranges while this one writes the
    ranges before them."""
    counts = {"rows": 0, "accepted": 0, "rejected": 0}
    columns = (header.positions, {c.key: c.header for c in kind.columns})

    def stage(end: int | None, converted: ConvertedBatch) -> None:
        refused: dict[int, str] = {}
        encoded = converted.encoded
        if converted.staged is not None:  # rows the KIND checks against the database first
            refused = kind.check_batch(ctx, [(number, row) for number, row, _cells in converted.staged])
            encoded = staging.encode_rows(
                [row for number, row, _cells in converted.staged if number not in refused]
            )
        bad = dict(converted.rejected)
        for number, _row, cells in converted.staged or ():
            if number in refused:
                bad[number] = (cells, [refused[number]])
        for number in sorted(bad):
            report.add(number, *bad[number])
        counts["rows"] += converted.rows
        counts["rejected"] += len(bad)
        counts["accepted"] += converted.accepted - len(refused)
        if refused:
            # Rows naming a record on file outside the actor's scope: counted, so the import's
            # audit row says how many such records the file asked about (probing shows there).
            counts["refused_existing"] = counts.get("refused_existing", 0) + len(refused)
        staging.write_rows(kind.staging_table, kind.staging_columns, encoded)
        _progress(job, progress_done=min(total, end - 1) if end else total)

    pending: collections.deque = collections.deque()
    for start, end in _ranges(header.row_number + 1, total):
        pending.append((end, convert(start, end, *columns)))
        if len(pending) > IN_FLIGHT:
            done, result = pending.popleft()
            stage(done, result.get())
    while pending:
        done, result = pending.popleft()
        stage(done, result.get())
    return counts


def _ranges(first: int, total: int):
    """(start, end) of the ranges of BATCH_ROWS file rows after the header. The last one is open
    (``end`` None): a CSV's total is its count of line breaks, and its last row may have none."""
    start = first
    while start + BATCH_ROWS <= total:
        yield start, start + BATCH_ROWS
        start += BATCH_ROWS
    yield start, None


class RowSource:
    """One process's pass over the file's rows, taken range by range in increasing order; blank
    rows are left out."""

    def __init__(self, rows):
        self._rows = rows
        self._ahead: tuple[int, list] | None = None  # the first row of a later range, already read

    def take(self, start: int, end: int | None) -> list[tuple[int, list]]:
        """The non-blank rows numbered ``start`` ≤ n < ``end`` (None: to the end of the file)."""
        taken: list[tuple[int, list]] = []
        item, self._ahead = self._ahead, None
        while True:
            if item is None:
                item = next(self._rows, None)
                if item is None:
                    return taken
            if end is not None and item[0] >= end:
                self._ahead = item
                return taken
            if item[0] >= start and not _is_blank(item[1]):
                taken.append(item)
            item = None


# The KIND, context and row source of the current run, in a forked converter process (set by its
# initializer; the source is opened on its first range).
_converter: dict = {}


def _set_converter(kind: ImportKind, ctx, checked: bool, reopen, parent: int) -> None:
    _converter.update(kind=kind, ctx=ctx, checked=checked, reopen=reopen, source=None)
    # A converter dies with its importing process (a worker killed mid-import): it holds a copy of
    # that process's database socket, which must close so the dead import's session ends.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


@dataclass
class ConvertedBatch:
    """What a converter hands back for one range: the accepted rows ready for staging (or, when
    the KIND checks them against the database first, the rows themselves with their cells) and the
    rejected rows with their reasons. Small to pass between processes: one string instead of
    thousands of tuples."""

    rows: int  # non-blank rows in the range
    accepted: int
    rejected: dict[int, tuple[list, list[str]]]  # row number -> (cells, reasons in Chinese)
    encoded: bytes | list[tuple]  # staging.encode_rows() of the accepted rows
    staged: list[tuple[int, tuple, list]] | None  # (row number, staging tuple, cells) when checked


def _convert_range(
    start: int,
    end: int | None,
    positions: dict[int, str],
    headers_by_key: dict[str, str],
    converter: tuple | None = None,
) -> ConvertedBatch:
    """Read the rows ``start`` ≤ n < ``end`` and convert each to a staging tuple, or collect its
    reasons in Chinese."""
    if converter is None:  # in a forked converter process
        if _converter["source"] is None:
            _converter["source"] = RowSource(_converter["reopen"]())
        kind, ctx, checked, source = (_converter[k] for k in ("kind", "ctx", "checked", "source"))
    else:
        kind, ctx, checked, source = converter
    raw = source.take(start, end)
    accepted: list[tuple[int, tuple, list | None]] = []
    rejected: dict[int, tuple[list, list[str]]] = {}
    items = list(positions.items())
    for number, cells in raw:
        width = len(cells)
        values = {key: cells[index] if index < width else None for index, key in items}
        errors = RowErrors()
        staged = kind.convert(ctx, number, values, errors)
        if errors or staged is None:
            rejected[number] = (
                cells,
                [
                    "%s“%s”：%s" % (headers_by_key.get(h, h), _shown(v), r)
                    if v not in (None, "")
                    else "%s：%s" % (headers_by_key.get(h, h), r)
                    for h, v, r in errors.items
                ],
            )
        else:
            accepted.append((number, staged, cells if checked else None))
    if checked:
        return ConvertedBatch(len(raw), len(accepted), rejected, [], accepted)
    encoded = staging.encode_rows([row for _number, row, _cells in accepted])
    return ConvertedBatch(len(raw), len(accepted), rejected, encoded, None)


class _Converted:
    def __init__(self, value: ConvertedBatch):
        self.value = value

    def get(self) -> ConvertedBatch:
        return self.value


@contextlib.contextmanager
def _converters(kind: ImportKind, ctx, opened, *, parallel: bool):
    """``convert(start, end, positions, headers)`` → something with ``.get()``. Parallel: forked
    processes each read the file once and convert every other range (they inherit the run's
    lookups and never query the database) while this one writes the ranges before them."""
    checked = kind.checks_batches(ctx)  # decided here, once: a converter process asks nothing
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        source = RowSource(opened.rows)  # already past the header
        yield lambda start, end, *columns: _Converted(
            _convert_range(start, end, *columns, converter=(kind, ctx, checked, source))
        )
        return
    pool = multiprocessing.get_context("fork").Pool(
        max(1, settings.GONGJIANG_IMPORT_CONVERTERS),
        initializer=_set_converter,
        initargs=(kind, ctx, checked, opened.reopen, os.getpid()),
    )
    try:
        yield lambda start, end, *columns: pool.apply_async(_convert_range, (start, end, *columns))
        pool.close()
        pool.join()
    finally:
        pool.terminate()


def _shown(value: object) -> str:
    text = str(cell_text(value))
    return text if len(text) <= 40 else text[:40] + "…"


def _merge(job: Job, kind: ImportKind, ctx, counts: dict[str, int]):
    """Merge in one transaction. Dry run: rolled back. Commit with rejected rows: nothing written."""
    if job.mode == JobMode.COMMIT and counts["rejected"]:
        return None
    if not counts["accepted"]:
        return None
    staging.analyse(kind.staging_table)
    with transaction.atomic():
        outcome = kind.merge(ctx, job_id=job.pk)
        if job.mode == JobMode.DRY_RUN:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=job.user,
                action="import.commit",
                obj=job,
                changes={
                    "kind": job.kind,
                    "file": job.filename,
                    "sha256": job.sha256,
                    "result": {**counts, **outcome.counts},
                },
            )
    return outcome


def _summary(job: Job) -> str:
    r = job.result
    if job.status == JobStatus.REJECTED:
        return (
            "共 %d 行，其中 %d 行有错误。按“全部正确才导入”的规则，本次未写入任何数据；请下载错误报告修改后重新上传，或选择“只导入正确的行”。"
            % (
                r["rows"],
                r["rejected"],
            )
        )
    if job.mode == JobMode.DRY_RUN:
        return "试导入完成：共 %d 行，正确 %d 行，错误 %d 行。数据库未作修改。" % (
            r["rows"],
            r["accepted"],
            r["rejected"],
        )
    return "导入完成：共 %d 行，已导入 %d 行，错误 %d 行。" % (r["rows"], r["accepted"], r["rejected"])
