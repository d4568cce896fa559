"""A worker killed half-way through an import: the database stays as it was, and a new worker
finishes the job with the same result as a clean import (no duplicates, no half rows)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.jobs.choices import JobMode, JobStatus
from gongjiang.jobs.models import Job
from gongjiang.jobs.services import import_create
from gongjiang.jobs.tests.helpers import roster_rows, write_csv
from gongjiang.talents.models import Certificate, Person

ROWS = 40_000


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def _start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-nightly"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_killed_worker_leaves_nothing_and_a_new_worker_finishes_the_job(tmp_path, refdata):
    actor = UserFactory(username="importer", role="city_admin")
    rows = roster_rows(ROWS, seed=42)
    path = write_csv(tmp_path / "big.csv", rows)
    with path.open("rb") as fh:
        job = import_create(actor=actor, kind="roster", upload=fh, filename=path.name, mode=JobMode.COMMIT)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "1",
        "GONGJIANG_JOB_DIR": str(settings.GONGJIANG_JOB_DIR),
        "GONGJIANG_WORK_DIR": str(settings.GONGJIANG_WORK_DIR),
        "GONGJIANG_JOB_STALE_SECONDS": "1",
    }
    worker = _start_worker(env)
    try:
        _wait(lambda: Job.objects.filter(pk=job.pk, progress_done__gt=0).exists(), 60, "the import to start")
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert Person.objects.count() == 0
    assert Certificate.objects.count() == 0

    time.sleep(1.2)  # the dead worker's heartbeat goes stale
    worker = _start_worker(env)
    try:
        _wait(lambda: Job.objects.get(pk=job.pk).is_finished, 180, "the resumed import to finish")
    finally:
        worker.terminate()
        worker.wait(10)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.attempts == 2
    people = len({r[1] for r in rows})  # random IDs may repeat; a repeat is the same person
    assert job.result["persons_created"] == people
    assert Person.objects.count() == people
    assert Certificate.objects.count() == ROWS
    assert set(Certificate.objects.values_list("number", flat=True)) == {r[9] for r in rows}
