"""python manage.py bench import [--rows N] [--database postgresql|sqlite] [--formats xlsx,csv]
python manage.py bench import --populated P --rows N [--database …] [--keep] [--explain]

Generates a realistic roster (花名册) of N rows (default 1,000,000) as xlsx and as CSV, then for each
format, in separate processes so each has its own peak memory:

- pipeline: the real ``import roster`` path end to end (job record, encrypted upload, reading,
  validation, encryption, staging, set-based merge, audit) into an empty database;
- limit: reading the same file (python-calamine for xlsx, the csv module for CSV) and writing the
  same rows into a bare table (PostgreSQL ``COPY``; SQLite ``executemany`` in one transaction).

Peak memory is the largest total proportional set size (PSS) of the measured process and its
children (the forked converters), sampled every 0.2 s or, when a sample is slow, less often (at
most a tenth of a core); for xlsx ``reader_rss_mb`` is the same for
the limit run, i.e. what python-calamine holds for the whole sheet.

With ``--populated P`` it measures the everyday case instead (issue 19): a database that already
holds P persons, loaded first through the first-load path from a roster of about P/0.9 rows, then
one CSV of N rows into it: nine in ten rows new persons (a tenth of them with a second
certificate row), one in ten a registered person with a new certificate (half of them moved to
another county), one in a hundred a registered certificate number with another date (a
conflict). The same file also goes into an empty database in the same run; ``ratio`` is the
populated rate over the empty one. The loaded database is kept as a template
(``<database>_p<P>``, or ``var/bench-populated-<P>.sqlite3``) and each run imports into a copy
of it; ``--keep`` reuses a template built before. ``--explain`` adds an untimed run that writes
every merge statement's plan and work (``jobs/plans.py``) to ``var/bench/plans-<P>-<N>-<db>.txt``.

PostgreSQL runs in database ``gongjiang_bench_import`` (``--pg-database``), SQLite in
``var/bench-import.sqlite3``; files are kept under ``var/bench/`` and reused by a later run with
the same N.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

PG_DB = "gongjiang_bench_import"
PG_BASE = "postgres://postgres@127.0.0.1:5432"
HEADERS = (
    "姓名",
    "身份证号",
    "手机号",
    "所属县区",
    "工作单位",
    "统一社会信用代码",
    "职业(工种)",
    "职业编码",
    "重点领域",
    "证书类型",
    "技能等级",
    "证书编号",
    "发证日期",
    "发证机构",
    "引进日期",
)
REGIONS = ("海州区", "连云区", "赣榆区", "东海县", "灌云县", "灌南县", "320706", "徐圩新区")
LEVELS = ("五级/初级工", "四级/中级工", "中级工", "高级工", "三级/高级工", "技师", "二级/技师", "高级技师")
DOMAINS = ("先进制造业", "数字经济", "低空经济", "交通运输", "农业农村", "生活服务")
ISSUERS = ("连云港市职业技能鉴定中心", "江苏某某评价有限公司", "连云港技师学院")
OCCUPATIONS = (
    ("6-18-02", "焊工"),
    ("6-05-01", "电工"),
    ("4-12-01", "汽车摩托车修理技术服务人员"),
    ("4-02-06", "仓储物流服务人员"),
    ("", "车工"),
)


def _log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def roster_rows(n: int, *, seed: int = 7, first_number: int = 0):
    """N roster rows: about one person in ten has a second certificate row, employers are 3,000
    credit codes (not yet registered: the import registers them), one row in twenty is an
    introduced talent, one in three has a phone number. Certificate numbers run from
    ``first_number``, so files made with different seeds can hold distinct numbers."""
    from gongjiang.common.demo import make_name, make_phone, make_resident_id, make_uscc

    rng = random.Random(seed)
    employers = [
        ("连云港%s制造有限公司" % make_name(rng), make_uscc(rng, region_code="320706")) for _ in range(3000)
    ]
    start = datetime.date(2005, 1, 1)
    person = None
    for i in range(n):
        if person is None or rng.random() >= 0.1:
            employer = employers[rng.randrange(3000)]
            person = (
                make_name(rng),
                make_resident_id(rng),
                make_phone(rng) if rng.random() < 0.33 else None,
                REGIONS[rng.randrange(len(REGIONS))],
                employer[0],
                employer[1],
                DOMAINS[rng.randrange(6)],
                (start + datetime.timedelta(days=rng.randrange(7000))) if rng.random() < 0.05 else None,
            )
        name, rid, phone, region, employer_name, uscc, domain, introduced = person
        code, occupation = OCCUPATIONS[rng.randrange(len(OCCUPATIONS))]
        yield (
            name,
            rid,
            phone,
            region,
            employer_name,
            uscc,
            occupation,
            code,
            domain,
            "职业技能等级证书",
            LEVELS[rng.randrange(len(LEVELS))],
            "S%021d" % (3207000000000000000000 + first_number + i),
            start + datetime.timedelta(days=rng.randrange(7600)),
            ISSUERS[rng.randrange(3)],
            introduced,
        )


def write_files(n: int, directory: Path, formats: tuple[str, ...] = ("csv", "xlsx")) -> dict[str, Path]:
    import xlsxwriter

    directory.mkdir(parents=True, exist_ok=True)
    paths = {"csv": directory / f"roster-{n}.csv", "xlsx": directory / f"roster-{n}.xlsx"}
    if not paths["csv"].exists():
        t0 = time.monotonic()
        tmp = paths["csv"].with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADERS)
            for row in roster_rows(n):
                writer.writerow(
                    ["" if v is None else (v.isoformat() if isinstance(v, datetime.date) else v) for v in row]
                )
        tmp.rename(paths["csv"])
        _log(f"wrote {paths['csv']} in {time.monotonic() - t0:.1f}s")
    if "xlsx" in formats and not paths["xlsx"].exists():
        t0 = time.monotonic()
        tmp = paths["xlsx"].with_suffix(".tmp.xlsx")
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        sheet = book.add_worksheet("花名册")
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_string(0, 0, "2026年第三季度技能人才花名册")
        sheet.write_row(1, 0, HEADERS)
        for r, row in enumerate(roster_rows(n), start=2):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, datetime.date):
                    sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
                else:
                    sheet.write_string(r, c, value)
        book.close()
        tmp.rename(paths["xlsx"])
        _log(f"wrote {paths['xlsx']} in {time.monotonic() - t0:.1f}s")
    return paths


FILE_ROWS_LIMIT = 1_000_000  # below the pipeline's limit of rows in one file


def _split(path: Path, rows: int) -> list[Path]:
    """``path`` itself, or its rows in files of at most ``rows`` rows each (for a template larger
    than one file may be)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        parts: list[Path] = []
        writer = out = None
        for i, row in enumerate(reader):
            if i % rows == 0:
                if out is not None:
                    out.close()
                parts.append(path.with_name(f"{path.stem}-part{len(parts) + 1}.csv"))
                out = parts[-1].open("w", encoding="utf-8-sig", newline="")
                writer = csv.writer(out)
                writer.writerow(header)
            writer.writerow(row)
        if out is not None:
            out.close()
    return parts


def write_populated_file(base: Path, base_rows: int, n: int, directory: Path) -> Path:
    """N roster rows for a database loaded from ``base`` (``base_rows`` rows made by
    ``roster_rows``): one in ten is a registered person with a new certificate, half of them
    registered now in another county; one in a hundred repeats a registered certificate number
    with another issue date (a conflict); the rest are new persons with their own numbers."""
    path = directory / f"roster-{base_rows}-then-{n}.csv"
    if path.exists():
        return path
    existing, conflicts = n // 10, n // 100
    picked: list[list[str]] = []
    step = max(1, base_rows // (existing + conflicts))
    with base.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        for i, row in enumerate(reader):
            if i % step == 0 and len(picked) < existing + conflicts:
                picked.append(row)
    extra: list[list[str]] = []
    for k, row in enumerate(picked[:existing]):
        row = list(row)
        row[11] = "S%021d" % (3208000000000000000000 + k)
        row[10] = "技师"
        row[12] = "2026-06-01"
        if k % 2:
            row[3] = REGIONS[(REGIONS.index(row[3]) + 1) % len(REGIONS)]
        extra.append(row)
    for row in picked[existing:]:
        row = list(row)
        row[12] = (datetime.date.fromisoformat(row[12]) + datetime.timedelta(days=1)).isoformat()
        extra.append(row)
    fresh = roster_rows(n - len(extra), seed=n + 11, first_number=10 * base_rows + 10 * n)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for i, row in enumerate(fresh):
            writer.writerow(
                ["" if v is None else (v.isoformat() if isinstance(v, datetime.date) else v) for v in row]
            )
            if i % 9 == 8 and extra:
                writer.writerow(extra.pop())
        writer.writerows(extra)
    tmp.rename(path)
    return path


def _child_pipeline(path: Path, explain: Path | None = None) -> dict:
    from django.core.management import call_command

    from gongjiang.jobs import plans
    from gongjiang.jobs.models import Job

    # The merge's own share of the time: the pipeline records it in the job's result (the import
    # command runs the job in a child process, as the worker does).
    t0 = time.monotonic()
    with plans.measured() if explain else contextlib.nullcontext([]) as statements:
        try:
            call_command("import", "roster", str(path))
        except SystemExit as exc:
            if exc.code not in (0, None):
                raise RuntimeError(f"import exited with {exc.code}") from None
    seconds = time.monotonic() - t0
    if explain:
        explain.write_text(
            "\n\n".join(f"-- work {s.work}\n{' '.join(s.sql.split())}\n{s.plan}" for s in statements) + "\n"
        )
    job = Job.objects.latest("pk")
    return {
        "seconds": seconds,
        "merge_seconds": round(job.result.get("merge_seconds", 0), 2),
        "result": job.result,
    }


def _child_limit(path: Path) -> dict:
    from django.db import connection, transaction

    from gongjiang.common.excel import open_rows

    t0 = time.monotonic()
    if path.suffix == ".csv":
        fh = path.open(encoding="utf-8-sig", newline="")
        rows = csv.reader(fh)
    else:
        rows = (cells for _number, cells in open_rows(path).rows)
    width = len(HEADERS)
    cols = ", ".join(f"c{i}" for i in range(width))
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute("CREATE TABLE bench_bare (%s)" % ", ".join(f"c{i} text" for i in range(width)))
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY bench_bare ({cols}) FROM STDIN") as copy:
                for cells in rows:
                    copy.write_row(cells[:width])
                    count += 1
        else:
            marks = ", ".join(["%s"] * width)
            batch = []
            for cells in rows:
                batch.append([None if v is None else str(v) for v in cells[:width]])
                if len(batch) == 5000:
                    cursor.executemany(f"INSERT INTO bench_bare ({cols}) VALUES ({marks})", batch)
                    count += len(batch)
                    batch = []
            cursor.executemany(f"INSERT INTO bench_bare ({cols}) VALUES ({marks})", batch)
            count += len(batch)
    seconds = time.monotonic() - t0
    return {"seconds": seconds, "rows_written": count}


def _database_env(database: str, name: str) -> dict[str, str]:
    """The environment of a child process using database ``name`` (PostgreSQL) or the SQLite file
    ``var/<name>.sqlite3``."""
    if database == "postgresql":
        return {**os.environ, "DEBUG": "1", "DATABASE_URL": f"{PG_BASE}/{name}"}
    return {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{_sqlite_path(name)}"}


def _sqlite_path(name: str) -> Path:
    return Path(settings.VAR_DIR) / f"{name}.sqlite3"


def _drop_database(database: str, name: str) -> None:
    if database == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(_sqlite_path(name)) + suffix).unlink(missing_ok=True)


def _fresh_database(database: str, name: str = PG_DB) -> dict[str, str]:
    if database == "sqlite" and name == PG_DB:
        name = "bench-import"
    _drop_database(database, name)
    if database == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    env = _database_env(database, name)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True)
    return env


def _copy_database(database: str, template: str, name: str) -> dict[str, str]:
    """A copy of the populated template to import into (the template stays as it was)."""
    _drop_database(database, name)
    if database == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
            # A file copy, not PostgreSQL 15's default of writing the copy through the WAL: that
            # leaves 1.4 GB for the next checkpoint to flush while the measured import runs.
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
    else:
        shutil.copyfile(_sqlite_path(template), _sqlite_path(name))
    return _database_env(database, name)


def _checkpoint(database: str) -> None:
    """Write out what earlier steps left dirty, so that a measured run does not pay for them."""
    if database == "postgresql":
        import psycopg

        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
            conn.execute("CHECKPOINT")


def _count_persons(database: str, name: str) -> int | None:
    """Persons in database ``name``, or None when it does not exist or has no tables yet."""
    try:
        if database == "postgresql":
            import psycopg

            with psycopg.connect(f"{PG_BASE}/{name}") as conn:
                return conn.execute("SELECT COUNT(*) FROM talents_person").fetchone()[0]
        if not _sqlite_path(name).exists():
            return None
        with contextlib.closing(sqlite3.connect(_sqlite_path(name))) as conn:
            return conn.execute("SELECT COUNT(*) FROM talents_person").fetchone()[0]
    except Exception:  # no database, or not migrated: build it
        return None


def _tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and its descendants (shared pages counted once, so
    forked converter processes are not counted twice for what they share with their parent)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def _run_child(env: dict[str, str], what: str, path: Path, explain: Path | None = None) -> dict:
    """Run one measurement in a fresh process, sampling the memory of its process tree."""
    extra = ["--explain-to", str(explain)] if explain else []
    with subprocess.Popen(
        [sys.executable, "manage.py", "bench", "import", "--child", what, "--file", str(path), *extra],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        peak = 0
        while child.poll() is None:
            started = time.monotonic()
            peak = max(peak, _tree_pss_kib(child.pid))
            # Reading smaps of a 1.3 GB process takes ~30 ms of the CPU the measured run needs:
            # sample every 0.2 s, or less often, so that sampling costs at most a tenth of a core.
            time.sleep(max(0.2, 10 * (time.monotonic() - started)))
        out = child.stdout.read()
    if child.returncode:
        raise RuntimeError(f"bench child {what} exited with {child.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = round(peak / 1024, 1)
    return result


def import_benchmark(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="bench import")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--populated", type=int, help="persons in the database before the import")
    parser.add_argument("--pg-database", default=PG_DB, help="PostgreSQL database name (and prefix)")
    parser.add_argument("--keep", action="store_true", help="reuse the populated template built before")
    parser.add_argument("--explain", action="store_true", help="also write each merge statement's plan")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each import; the fastest counts")
    parser.add_argument("--child", choices=("pipeline", "limit"), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--explain-to", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child == "pipeline":
        return _child_pipeline(options.file, options.explain_to)
    if options.populated is not None:
        return populated_benchmark(options)
    if options.child == "limit":
        return _child_limit(options.file)

    paths = write_files(options.rows, Path(settings.VAR_DIR) / "bench")
    result: dict = {"rows": options.rows, "database": options.database}
    for fmt in options.formats.split(","):
        path = paths[fmt]
        env = _fresh_database(options.database, options.pg_database)
        _log(f"{fmt}: limit (read + bare write) …")
        limit = _run_child(env, "limit", path)
        _log(f"{fmt}: limit {limit['seconds']:.1f}s; pipeline …")
        env = _fresh_database(options.database, options.pg_database)
        pipeline = _run_child(env, "pipeline", path)
        _log(
            f"{fmt}: pipeline {pipeline['seconds']:.1f}s {json.dumps(pipeline['result'], ensure_ascii=False)}"
        )
        accepted = pipeline["result"].get("accepted", 0)
        if accepted != options.rows:
            raise RuntimeError(f"{fmt}: pipeline accepted {accepted} of {options.rows} rows")
        pipeline_rate = options.rows / pipeline["seconds"]
        limit_rate = options.rows / limit["seconds"]
        figures = {
            "pipeline_rows_per_s": round(pipeline_rate),
            "limit_rows_per_s": round(limit_rate),
            "ratio": round(pipeline_rate / limit_rate, 3),
            "peak_rss_mb": pipeline["peak_rss_mb"],
            "pipeline_s": round(pipeline["seconds"], 1),
            # The merge's one write transaction: on SQLite every other writer waits this long.
            "merge_s": pipeline["merge_seconds"],
            "limit_s": round(limit["seconds"], 1),
            "persons_created": pipeline["result"].get("persons_created"),
            "certificates_created": pipeline["result"].get("certificates_created"),
        }
        if fmt == "xlsx":
            figures["reader_rss_mb"] = limit["peak_rss_mb"]
        result[fmt] = figures
    return result


def populated_benchmark(options) -> dict:
    """One file of N rows into a database of P persons and into an empty one, in the same run."""
    persons, n, database = options.populated, options.rows, options.database
    prefix = options.pg_database if database == "postgresql" else "bench-populated"
    template, target = f"{prefix}_p{persons}", f"{prefix}_run"
    directory = Path(settings.VAR_DIR) / "bench"
    base_rows = round(persons / 0.9)
    base = write_files(base_rows, directory, formats=("csv",))["csv"]
    path = write_populated_file(base, base_rows, n, directory)
    before = _count_persons(database, template) if options.keep else None
    if not before:
        _log(f"building the template {template}: {base_rows} rows through the first-load path …")
        env = _fresh_database(database, template)
        for part in _split(base, FILE_ROWS_LIMIT):
            build = _run_child(env, "pipeline", part)
            _log(
                f"loaded {part.name} in {build['seconds']:.1f}s {json.dumps(build['result'], ensure_ascii=False)}"
            )
        before = _count_persons(database, template)

    # This machine is shared: the two imports run alternately ``--repeat`` times and the fastest
    # of each counts (interference only ever slows a run down).
    populated_runs, empty_runs = [], []
    for _ in range(options.repeat):
        _log(f"{n} rows into {before} persons …")
        env = _copy_database(database, template, target)
        _checkpoint(database)
        populated_runs.append(_run_child(env, "pipeline", path))
        _log(f"populated {populated_runs[-1]['seconds']:.1f}s {json.dumps(populated_runs[-1]['result'])}")
        _log(f"{n} rows into an empty database …")
        env = _fresh_database(database, f"{prefix}_empty")
        _checkpoint(database)
        empty_runs.append(_run_child(env, "pipeline", path))
        _log(f"empty {empty_runs[-1]['seconds']:.1f}s")
    for run in (*populated_runs, *empty_runs):
        if run["result"].get("accepted") != n:
            raise RuntimeError(f"the pipeline accepted {run['result'].get('accepted')} of {n} rows")
    populated = min(populated_runs, key=lambda run: run["seconds"])
    empty = min(empty_runs, key=lambda run: run["seconds"])
    figures = {
        "populated": persons,
        "rows": n,
        "rows_per_s": round(n / populated["seconds"]),
        "empty_rows_per_s": round(n / empty["seconds"]),
        "ratio": round(empty["seconds"] / populated["seconds"], 3),
        "database": database,
        "persons_before": before,
        "seconds": round(populated["seconds"], 2),
        "empty_seconds": round(empty["seconds"], 2),
        "merge_seconds": populated["merge_seconds"],
        "empty_merge_seconds": empty["merge_seconds"],
        "peak_rss_mb": populated["peak_rss_mb"],
        "runs_s": [round(run["seconds"], 2) for run in populated_runs],
        "empty_runs_s": [round(run["seconds"], 2) for run in empty_runs],
        "result": {
            key: populated["result"].get(key)
            for key in (
                "persons_created",
                "persons_updated",
                "persons_unchanged",
                "certificates_created",
                "certificates_unchanged",
                "conflicts",
                "organisations_created",
            )
        },
    }
    if options.explain:
        plans_path = directory / f"plans-{persons}-{n}-{database}.txt"
        _run_child(_copy_database(database, template, target), "pipeline", path, explain=plans_path)
        figures["plans"] = str(plans_path)
    _drop_database(database, target)
    _drop_database(database, f"{prefix}_empty")
    return figures


def web_import_benchmark(argv: list[str]) -> dict:
    """python manage.py bench import_web --file F [--user city]

    One import through the pages, end to end, into the database of ``DATABASE_URL`` as it is
    (e.g. after ``seed_demo --persons 1000000``): upload (试导入), then confirm (确认导入), timed
    from the first request to the last response. Run it with ``GONGJIANG_TASKS_IMMEDIATE=1`` so
    that each job runs inside its request, as a worker would run it right away."""
    from django.test import Client
    from django.urls import reverse

    from gongjiang.accounts.models import User
    from gongjiang.jobs.choices import JobStatus
    from gongjiang.jobs.models import Job
    from gongjiang.talents.models import Person

    parser = argparse.ArgumentParser(prog="bench import_web")
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--user", default="city")
    options = parser.parse_args(argv)
    if not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
        raise SystemExit("set GONGJIANG_TASKS_IMMEDIATE=1: the jobs must run inside the requests")
    user = User.objects.get(username=options.user)
    User.objects.filter(pk=user.pk).update(must_change_password=False)  # the demo's first-login step
    client = Client()
    client.force_login(user)
    last = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = Person.objects.count()
    t0 = time.monotonic()
    with options.file.open("rb") as fh:
        client.post(reverse("jobs:import_start"), {"kind": "roster", "file": fh})
    dry = Job.objects.latest("pk")
    t1 = time.monotonic()
    client.post(reverse("jobs:job_commit", args=[dry.pk]))
    commit = Job.objects.latest("pk")
    t2 = time.monotonic()
    if dry.pk <= last or commit.parent_id != dry.pk or commit.status != JobStatus.SUCCEEDED:
        raise RuntimeError(
            f"the import did not finish: {dry.status} {dry.message} / {commit.status} {commit.message}"
        )
    return {
        "file": options.file.name,
        "persons_before": before,
        "dry_run_s": round(t1 - t0, 2),
        "commit_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "result": commit.result,
    }


def _write_ods(path: Path, n: int) -> None:
    """A roster of ``n`` rows as .ods, content.xml streamed into the archive."""
    import zipfile
    from xml.sax.saxutils import escape

    def row(values) -> str:
        return (
            "<table:table-row>"
            + "".join(
                '<table:table-cell office:value-type="string" calcext:value-type="string">'
                "<text:p>%s</text:p></table:table-cell>" % escape(str(v))
                if v is not None
                else "<table:table-cell/>"
                for v in values
            )
            + "</table:table-row>"
        )

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
        with archive.open("content.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                b'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
                b'<office:body><office:spreadsheet><table:table table:name="roster">'
            )
            fh.write(row(HEADERS).encode())
            for values in roster_rows(n):
                fh.write(row(v.isoformat() if isinstance(v, datetime.date) else v for v in values).encode())
            # What LibreOffice writes after the last row: the empty rest of the sheet.
            fh.write(
                b'<table:table-row table:number-rows-repeated="%d"><table:table-cell '
                b'table:number-columns-repeated="16384"/></table:table-row>' % (1048575 - n)
            )
            fh.write(b"</table:table></office:spreadsheet></office:body></office:document-content>")


def _write_xls(path: Path, n: int) -> None:
    import xlwt  # a development dependency, as the benchmarks are

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("roster")
    for c, header in enumerate(HEADERS):
        sheet.write(0, c, header)
    for r, values in enumerate(roster_rows(n), start=1):
        for c, v in enumerate(values):
            if v is not None:
                sheet.write(r, c, v.isoformat() if isinstance(v, datetime.date) else v)
    book.save(str(path))


def extent_benchmark(argv: list[str]) -> dict:
    """python manage.py bench extent [--rows 10000,100000,300000]

    The check of a sheet's extent that runs before the reader (issue 18: a far cell makes the
    reader ask for gigabytes), per format and file size, against the raw limit in the same run:
    python-calamine opening the same file and iterating every row. ``.xls`` holds at most 65,536
    rows, so its sizes stop there."""
    from python_calamine import CalamineWorkbook

    from gongjiang.common import excel

    parser = argparse.ArgumentParser(prog="bench extent")
    parser.add_argument("--rows", default="10000,100000,300000")
    options = parser.parse_args(argv)
    directory = Path(settings.VAR_DIR) / "bench"
    directory.mkdir(parents=True, exist_ok=True)
    limits = excel.ReadLimits.from_settings()
    checks = {"xlsx": excel.sheet_extent, "xls": excel.xls_extent, "ods": excel.ods_extent}
    results = []
    for n in (int(v) for v in options.rows.split(",")):
        files = {"xlsx": write_files(n, directory, ("csv", "xlsx"))["xlsx"]}
        if n < 65_536:
            files["xls"] = directory / f"roster-{n}.xls"
            if not files["xls"].exists():
                _write_xls(files["xls"], n)
        files["ods"] = directory / f"roster-{n}.ods"
        if not files["ods"].exists():
            _write_ods(files["ods"], n)
        for fmt, path in files.items():
            t0 = time.perf_counter()
            checks[fmt](path, limits)
            check = time.perf_counter() - t0
            t0 = time.perf_counter()
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            read_rows = sum(1 for _ in sheet.iter_rows())
            read = time.perf_counter() - t0
            results.append(
                {
                    "format": fmt,
                    "rows": n,
                    "file_mb": round(path.stat().st_size / 1048576, 2),
                    "extent_s": round(check, 3),
                    "limit_read_s": round(read, 3),
                    "rows_read": read_rows,
                    "ratio": round(check / read, 2),
                    "extent_us_per_row": round(check / n * 1e6, 2),
                }
            )
            _log(json.dumps(results[-1]))
    return {"benchmark": "extent", "results": results}


BENCHMARKS = {"import": import_benchmark, "import_web": web_import_benchmark, "extent": extent_benchmark}
