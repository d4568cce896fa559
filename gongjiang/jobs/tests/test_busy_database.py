"""SQLite's "database is locked" does not end the worker: a task that meets the lock is tried again
with backoff and finishes once the lock is gone (an export during browsing, a dashboard refresh);
a task that still fails is recorded (its job fails with the reason) and shown to the city admin;
recording a result waits for the lock too. The lock here is a real one, held by another
connection to the same database file for longer than the busy timeout."""

import sqlite3
import threading
import time

import pytest
from django.db import connection

from gongjiang.jobs import tasks
from gongjiang.jobs.choices import JobStatus
from gongjiang.jobs.models import Job, TaskFailure
from gongjiang.jobs.services import export_create
from gongjiang.jobs.worker import MaintainingWorker
from gongjiang.stats.models import RefreshState
from gongjiang.stats.tasks import aggregates_refresh_task
from gongjiang.talents.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the lock of a whole SQLite database file")


@pytest.fixture
def short_busy_timeout(sqlite_only, settings, refdata):
    """A busy timeout of 0.3 s instead of 30 s, and short pauses between tries, so the test is quick."""
    options = connection.settings_dict["OPTIONS"]
    before = options.get("timeout")
    options["timeout"] = 0.3
    connection.close()
    settings.GONGJIANG_TASK_TRIES = 4
    settings.GONGJIANG_TASK_BACKOFF = 0.2
    yield
    options["timeout"] = before
    connection.close()


def _hold_lock(seconds: float) -> threading.Thread:
    """Another writer holds the database's write lock for ``seconds``."""
    held = threading.Event()

    def hold():
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    return thread


def _worker() -> MaintainingWorker:
    return MaintainingWorker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
        nightly=False,
    )


def _db_result(result):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.get(id=result.id)


def test_an_export_meeting_the_lock_is_tried_again_and_finishes(
    short_busy_timeout, personas, monkeypatch, caplog
):
    monkeypatch.setattr(tasks, "ISOLATE", False)
    for i in range(3):
        PersonFactory(name=f"锁测试{i}", region_id="320706")
    job = export_create(
        actor=personas.city,
        kind="gongjiang.talents.views.PersonListView",
        fmt="csv",
        params={"q": "锁测试"},
        reveal=False,
    )
    pending = _db_result(tasks.job_run.enqueue(job_id=job.pk))
    holder = _hold_lock(1.0)  # longer than the busy timeout: the first tries meet "database is locked"
    _worker().run_task(pending)  # returns: the worker lives
    holder.join()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result == {"rows": 3}
    assert any("transient failure" in r.getMessage() for r in caplog.records)  # it met the lock
    assert _db_result(pending).status == "SUCCESSFUL"
    assert not TaskFailure.objects.exists()


def test_a_dashboard_refresh_meeting_the_lock_is_tried_again(short_busy_timeout, personas, caplog):
    PersonFactory(region_id="320706")
    pending = _db_result(aggregates_refresh_task.enqueue(trigger="change"))
    holder = _hold_lock(1.0)
    _worker().run_task(pending)
    holder.join()
    assert _db_result(pending).status == "SUCCESSFUL"
    assert RefreshState.objects.get().as_of is not None
    assert any("transient failure" in r.getMessage() for r in caplog.records)


def test_a_task_that_keeps_failing_is_recorded_and_shown_and_the_worker_lives(
    short_busy_timeout, personas, client, monkeypatch
):
    monkeypatch.setattr(tasks, "ISOLATE", False)
    job = export_create(
        actor=personas.city, kind="gongjiang.talents.views.PersonListView", fmt="csv", params={}, reveal=False
    )
    pending = _db_result(tasks.job_run.enqueue(job_id=job.pk))
    # Held past every try (0.2 + 0.4 + 0.8 s of pauses): recording the failure waits for it.
    holder = _hold_lock(3.0)
    _worker().run_task(pending)
    holder.join()
    assert _db_result(pending).status == "FAILED"
    failure = TaskFailure.objects.get()
    assert failure.task.endswith("jobs.tasks.job_run") and failure.attempts == 4
    assert "locked" in failure.error
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "多次重试" in job.message
    client.force_login(personas.city)
    page = client.get("/jobs/maintenance/").content.decode()
    assert "jobs.tasks.job_run" in page and "database is locked" in page
    # The same task succeeding later clears it from the page.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    _worker().run_task(_db_result(tasks.job_run.enqueue(job_id=job.pk)))
    assert TaskFailure.objects.get().resolved_at is not None
    assert "jobs.tasks.job_run" not in client.get("/jobs/maintenance/").content.decode()


def test_the_worker_loop_waits_out_a_locked_database(short_busy_timeout, personas):
    """The lock held while the worker looks for work: it waits and then runs the task."""
    from django_tasks_db.models import DBTaskResult

    pending = aggregates_refresh_task.enqueue(trigger="change")
    ready = DBTaskResult.objects.filter(status="READY").count()  # with those the personas queued
    holder = _hold_lock(1.5)
    worker = _worker()
    worker.max_tasks = ready
    worker.run()
    holder.join()
    assert _db_result(pending).status == "SUCCESSFUL"
