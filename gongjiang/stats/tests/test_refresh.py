"""The aggregates follow the writes: a change to persons, certificates or organisations asks, on
commit, for one background rebuild; the rebuild records as of when; the page says so."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from gongjiang.orgs.services import organisation_update
from gongjiang.stats.models import DailySnapshot, RefreshState, Tally
from gongjiang.stats.selectors import dashboard
from gongjiang.stats.services import aggregates_refresh, stats_refresh_all
from gongjiang.stats.tasks import aggregates_refresh_task, baseline_refresh_task
from gongjiang.talents.services import certificate_create, certificate_revoke

pytestmark = pytest.mark.django_db
TASK = "gongjiang.stats.tasks.aggregates_refresh_task"


def _queued() -> int:
    return DBTaskResult.objects.filter(task_path=TASK).count()


def test_a_certificate_write_queues_one_refresh_for_a_burst_of_changes(
    personas, django_capture_on_commit_callbacks
):
    person = personas.person_haizhou
    with django_capture_on_commit_callbacks(execute=True):
        certificate_create(
            actor=personas.city,
            person=person,
            cert_type_id="skill_level",
            level_id="GRADE2",
            number="Y320700000000000777001",
            issuer="连云港技师学院",
            issue_date=datetime.date(2026, 5, 6),
        )
    assert _queued() == 1
    assert RefreshState.objects.get(pk=1).requested_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(actor=personas.city, certificate=person.certificates.last(), reason="录入错误")
    assert _queued() == 1  # one refresh is already waiting: nothing more queued
    # The rebuild takes the request; the next change asks again.
    aggregates_refresh()
    assert RefreshState.objects.get(pk=1).requested_at is None
    with django_capture_on_commit_callbacks(execute=True):
        organisation_update(actor=personas.city, organisation=personas.org_ganyu, is_chain_leader=True)
    assert _queued() == 2


def test_nothing_is_queued_when_the_change_rolls_back(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                certificate_revoke(
                    actor=personas.city,
                    certificate=personas.person_ganyu.certificates.first(),
                    reason="测试回滚",
                )
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert _queued() == 0


def test_the_task_rebuilds_the_aggregates_and_records_as_of(personas):
    assert dashboard(user=personas.city).as_of is None
    aggregates_refresh_task.call(trigger="change")
    state = RefreshState.objects.get(pk=1)
    assert state.as_of is not None and state.baseline_at is not None and state.trigger == "change"
    board = dashboard(user=personas.city)
    assert board.as_of == state.as_of
    assert board.figures.total.skilled == 2  # the two personas' persons
    assert Tally.objects.filter(dimension="region").count() == 2
    today = board.on
    assert set(DailySnapshot.objects.filter(date=today).values_list("region_id", "skilled")) == {
        ("320706", 1),
        ("320707", 1),
    }
    # The baseline: the personas' certificates date from 2026, so nobody was skilled at the end of 2025.
    assert not DailySnapshot.objects.filter(date=datetime.date(2025, 12, 31)).exists()
    assert board.indicator("high_skilled_share").baseline is None


def test_a_second_refresh_on_the_same_day_replaces_its_snapshot(personas):
    stats_refresh_all()
    certificate_revoke(
        actor=personas.city, certificate=personas.person_ganyu.certificates.first(), reason="核查"
    )
    stats_refresh_all()
    today = dashboard(user=personas.city).on
    rows = DailySnapshot.objects.filter(date=today)
    assert rows.count() == 1 and rows.get().region_id == "320706"


def test_dashboard_says_as_of_when_and_that_a_refresh_is_waiting(personas, login):
    client = login(personas.city)
    assert "统计数据尚未生成" in client.get("/stats/").content.decode()
    stats_refresh_all()
    RefreshState.objects.filter(pk=1).update(requested_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    html = client.get("/stats/").content.decode()
    assert "数据截至" in html and "正在后台更新" in html


def test_stats_refresh_command(personas):
    out = io.StringIO()
    call_command("stats_refresh", stdout=out)
    assert "统计数据已更新" in out.getvalue()
    assert Tally.objects.exists()


def test_the_baseline_is_recomputed_at_most_hourly_in_the_background(personas):
    aggregates_refresh_task.call(trigger="change")
    first = RefreshState.objects.get(pk=1).baseline_at
    aggregates_refresh_task.call(trigger="change")
    state = RefreshState.objects.get(pk=1)
    assert state.baseline_at == first  # not again within the hour …
    assert state.baseline_due == first + datetime.timedelta(hours=1)  # … but once, an hour after
    deferred = DBTaskResult.objects.filter(task_path="gongjiang.stats.tasks.baseline_refresh_task")
    assert deferred.count() == 1 and deferred.get().run_after == state.baseline_due
    aggregates_refresh_task.call(trigger="change")
    assert deferred.count() == 1  # already scheduled
    baseline_refresh_task.call()
    state = RefreshState.objects.get(pk=1)
    assert state.baseline_at > first and state.baseline_due is None


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_reads_the_persons_without_holding_the_write_lock(refdata, personas, monkeypatch):
    """On SQLite a write transaction holds the one write lock every saving page waits for: while
    the rebuild reads the persons (seconds at a million) another writer gets in at once."""
    import sqlite3

    from django.db import connection

    from gongjiang.stats import services

    if connection.vendor != "sqlite":
        pytest.skip("the lock of a whole SQLite database file")
    real, writes = services._read_groups, []

    def reading(cursor):
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # raises "database is locked" if the rebuild holds it
        other.execute("ROLLBACK")
        other.close()
        writes.append(1)
        return real(cursor)

    monkeypatch.setattr(services, "_read_groups", reading)
    state = aggregates_refresh()
    assert writes == [1] and state.as_of is not None
    assert Tally.objects.filter(dimension="region").exists()


def test_an_older_rebuild_does_not_overwrite_a_newer_one(personas):
    """Two rebuilds at once (two workers): the one whose reads began first, finishing last, leaves
    the newer figures in place."""
    aggregates_refresh()
    before = sorted(Tally.objects.values_list("dimension", "key", "region_id", "skilled", "high"))
    newer = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    RefreshState.objects.filter(pk=1).update(as_of=newer)
    person = personas.person_ganyu
    certificate_create(
        actor=personas.city,
        person=person,
        cert_type_id="skill_level",
        level_id="GRADE2",
        number="Y320700000000000777009",
        issuer="连云港技师学院",
        issue_date=datetime.date(2026, 5, 6),
    )
    state = aggregates_refresh()
    assert state.as_of == newer
    assert sorted(Tally.objects.values_list("dimension", "key", "region_id", "skilled", "high")) == before
