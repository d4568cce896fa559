"""The roster merge costs what the file costs, on a database that already holds people (issue 19).

Each statement's work is counted by the database itself (PostgreSQL: rows every plan node handled,
from EXPLAIN ANALYZE; SQLite: VM instructions), never by a clock. A file three times as large
may cost a statement at most about three times as much (4.5× leaves room for n log n), plus a
scan of what the database holds; a quadratic plan costs it nine times as much, and thousands of
units a row where a linear one costs dozens.
"""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection

from gongjiang.jobs import plans, staging
from gongjiang.jobs.choices import JobStatus, JobType
from gongjiang.jobs.models import Job
from gongjiang.jobs.tests.helpers import roster_rows, run, write_csv
from gongjiang.talents.importers import STAGING, RosterImport
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.services import resident_id_digest

pytestmark = pytest.mark.django_db

REGISTERED = 3_000
LEFT_OVER = 8_000  # other jobs' rows in staging: half a running job's, half a killed one's
GROWTH_LIMIT = 4.5  # the file grows 3×
# Work per file row that no statement may exceed: a linear statement here does at most a few dozen
# units a row (plus a scan of the few thousand registered persons); a quadratic one, thousands.
PER_ROW_LIMIT = 150


def _file(n: int, base: list[list], *, seed: int) -> list[list]:
    """N rows like a county's roster into a populated database: one in ten is a registered person
    with a new certificate, one in a hundred repeats a registered certificate number with another
    date (a conflict), one new person in ten has a second certificate row; the rest are new."""
    existing = n // 10
    conflicts = n // 100
    fresh = roster_rows(n - existing - conflicts, seed=seed)
    rows: list[list] = []
    for i, row in enumerate(fresh):
        if i % 10 == 5 and len(rows) < n - existing - conflicts:
            second = list(row)
            second[8], second[9] = "技师", f"Z{seed:04d}{i:017d}"
            rows.append(second)
        if len(rows) < n - existing - conflicts:
            rows.append(row)
    step = len(base) // (existing + conflicts)
    picked = base[::step][: existing + conflicts]
    for k, row in enumerate(picked[:existing]):
        again = list(row)
        again[8], again[9], again[10] = "高级技师", f"X{seed:04d}{k:017d}", "2026-05-01"
        rows.insert(k * 10 % len(rows), again)
    for k, row in enumerate(picked[existing:]):
        conflict = list(row)
        conflict[10] = "2025-01-01"
        rows.insert((k * 97 + 3) % len(rows), conflict)
    return rows


def _leave_rows_in_staging(count: int, base: list[list], jobs: list[int]) -> None:
    """Rows of other jobs: registered people and others, with certificate numbers that the
    2,000-row file uses too."""
    columns = RosterImport.staging_columns
    digests = [resident_id_digest(row[1]) for row in base]
    rows = [
        (
            jobs[i % len(jobs)],
            i,
            "遗留",
            digests[i] if i < len(digests) else hashlib.sha256(str(i).encode()).hexdigest(),
            "x",
            None,
            None,
            datetime.date(1990, 1, 1),
            "1",
            "320706",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "skill_level",
            "GRADE3",
            f"Y0002{i:017d}",
            "连云港市技师学院",
            datetime.date(2026, 3, 1),
        )
        for i in range(count)
    ]
    staging.write_rows(STAGING, columns, staging.encode_rows(rows))


def _merge_work(tmp_path, actor, rows: list[list], name: str) -> dict[str, plans.Statement]:
    path = write_csv(tmp_path / name, rows)
    with plans.measured() as statements:
        job = run(path, actor)
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["conflicts"] == len(rows) // 100
    merge = [
        s for s in statements if "talents_" in s.sql or "orgs_organisation" in s.sql or "roster" in s.sql
    ]
    by_key: dict[str, plans.Statement] = {}
    for statement in merge:
        if statement.key in by_key:  # the same statement twice: count both
            statement = plans.Statement(
                statement.sql, statement.work + by_key[statement.key].work, statement.plan
            )
        by_key[statement.key] = statement
    return by_key


def test_every_merge_statement_grows_with_the_file_not_faster(tmp_path, personas):
    base = roster_rows(REGISTERED, seed=1)
    assert run(write_csv(tmp_path / "base.csv", base), personas.city).status == JobStatus.SUCCEEDED
    # A job still running (another county's import) and one whose worker was killed.
    running, killed = (
        Job.objects.create(job_type=JobType.IMPORT, kind="roster", user=personas.haizhou, status=status).pk
        for status in (JobStatus.RUNNING, JobStatus.FAILED)
    )
    _leave_rows_in_staging(LEFT_OVER, base, [running, killed])

    small = _merge_work(tmp_path, personas.city, _file(2_000, base, seed=2), "2000.csv")
    # A statement may also read the registered rows once (a hash join's scan): that is linear in
    # the database, which grew between the two imports.
    registered = Person.objects.count() + Certificate.objects.count()
    large = _merge_work(tmp_path, personas.city, _file(6_000, base, seed=3), "6000.csv")

    assert set(small) == set(large)
    assert any("INSERT INTO talents_person" in key for key in small)
    grown = {
        key: (small[key].work, large[key].work)
        for key in small
        if large[key].work > GROWTH_LIMIT * small[key].work + 2 * registered
        or small[key].work > PER_ROW_LIMIT * 2_000
        or large[key].work > PER_ROW_LIMIT * 6_000
    }
    assert not grown, "\n\n".join(
        f"{key[:300]}\n2,000 rows: {a}\n6,000 rows: {b}\n{large[key].plan}" for key, (a, b) in grown.items()
    )
    # The imports did what they say: the registered persons got their new certificates.
    assert Person.objects.count() > REGISTERED + 6_000
    assert Certificate.objects.filter(number__startswith="X0003").count() == 600
    # The killed job's rows were removed; the running job's rows are left to it.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MIN(job_id), MAX(job_id) FROM {STAGING}")
        assert cursor.fetchone() == (LEFT_OVER // 2, running, running)
