"""The nightly maintenance: every registered step runs, each on its own; certificates past their
valid-until expire and their holders' derived fields follow; the audit chain is checked against its
checkpoint and a new one written; leftover clear files go; the run is recorded and shown to the
city admin; the worker starts it once a day."""

import datetime
import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.services import audit_record
from gongjiang.jobs import nightly
from gongjiang.jobs.models import NightlyRun
from gongjiang.jobs.tests.test_hostile_uploads import _env
from gongjiang.jobs.tests.test_worker import _wait
from gongjiang.talents.choices import CertificateStatus
from gongjiang.talents.tests.factories import CertificateFactory


def _nightly(*args) -> dict:
    out = io.StringIO()
    call_command("nightly", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def lapsed(db):
    """A 高级工 certificate whose valid-until passed yesterday, as the database holds it the morning
    after: still 有效 and its holder still high-skilled until the maintenance runs."""
    certificate = CertificateFactory(valid_until=datetime.date(2099, 1, 1))
    assert certificate.person.is_high_skilled
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type(certificate).objects.filter(pk=certificate.pk).update(valid_until=yesterday)
    return certificate


def test_a_run_expires_lapsed_certificates_refreshes_people_and_checkpoints_the_audit(lapsed, personas):
    audit_record(actor=personas.city, action="test.before")
    leftover = Path(settings.GONGJIANG_WORK_DIR) / f"p4999999@{socket.gethostname()}-dead"
    leftover.mkdir(parents=True)
    (leftover / "clear.xlsx").write_bytes(b"x")
    report = _nightly()
    steps = {s["name"]: s for s in report["steps"]}
    assert report["ok"] and set(steps) >= {"certificates", "audit", "leftovers", "entitlements", "plan"}
    assert steps["certificates"]["result"]["expired"] == 1
    lapsed.refresh_from_db()
    lapsed.person.refresh_from_db()
    assert lapsed.status == CertificateStatus.EXPIRED
    assert not lapsed.person.is_high_skilled
    assert not leftover.exists() and steps["leftovers"]["result"]["work_dirs"] == 1
    point = json.loads(settings.GONGJIANG_AUDIT_CHECKPOINT_FILE.read_text().splitlines()[-1])
    assert point["last_id"] == steps["audit"]["result"]["checkpoint_last_id"]
    run = NightlyRun.objects.get(pk=report["run"])
    assert run.ok and run.finished_at and run.steps.count() == len(report["steps"])
    assert AuditEntry.objects.filter(action="nightly.run", object_id=str(run.pk)).count() == 1
    # A second run finds nothing more to expire.
    assert {s["name"]: s for s in _nightly()["steps"]}["certificates"]["result"]["expired"] == 0


def test_a_failing_step_is_recorded_and_the_others_still_run(lapsed, personas, client):
    def broken():
        raise RuntimeError("磁盘已满")

    nightly.register_step("zz_broken", "测试用的失败步骤", broken)
    try:
        with pytest.raises(CommandError, match="zz_broken"):
            call_command("nightly", stdout=io.StringIO())
    finally:
        del nightly.STEPS["zz_broken"]
    run = NightlyRun.objects.get()
    assert not run.ok
    outcome = {s.name: s.ok for s in run.steps.all()}
    assert outcome["zz_broken"] is False and outcome["certificates"] and outcome["audit"]
    lapsed.refresh_from_db()
    assert lapsed.status == CertificateStatus.EXPIRED
    client.force_login(personas.city)
    page = client.get("/jobs/maintenance/").content.decode()
    assert "测试用的失败步骤" in page and "磁盘已满" in page and 'data-ok="0"' in page


def test_a_truncated_audit_log_fails_the_step_and_is_not_signed_again(personas):
    for i in range(3):
        audit_record(actor=personas.city, action=f"test.{i}")
    assert _nightly("--step", "audit")["ok"]
    lines = settings.GONGJIANG_AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM accounts_auditentry WHERE id > %s", [json.loads(lines[-1])["last_id"] - 2]
        )
    with pytest.raises(CommandError):
        call_command("nightly", "--step", "audit", stdout=io.StringIO())
    step = NightlyRun.objects.order_by("-id").first().steps.get()
    assert not step.ok and "已不存在" in step.message
    assert settings.GONGJIANG_AUDIT_CHECKPOINT_FILE.read_text().splitlines() == lines


def test_due_once_a_day_after_two_in_beijing(db):
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    assert not nightly.nightly_due(datetime.datetime(2026, 12, 3, 1, 59, tzinfo=beijing))
    assert nightly.nightly_due(datetime.datetime(2026, 12, 3, 2, 0, tzinfo=beijing))
    NightlyRun.objects.create(started_at=timezone.now(), trigger="worker", day=datetime.date(2026, 12, 3))
    assert not nightly.nightly_due(datetime.datetime(2026, 12, 3, 23, 0, tzinfo=beijing))
    assert nightly.nightly_due(datetime.datetime(2026, 12, 4, 2, 30, tzinfo=beijing))


@pytest.mark.django_db(transaction=True)
def test_the_worker_starts_the_nightly_run_once(refdata):
    env = _env(GONGJIANG_NIGHTLY_AT="00:00")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.1"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: NightlyRun.objects.filter(finished_at__isnull=False).exists(), 60, "the nightly run")
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(10)
    run = NightlyRun.objects.get()
    assert run.trigger == "worker" and run.day == timezone.localdate()


def test_the_worker_checkpoints_the_audit_log_hourly_and_never_signs_a_cut(personas, caplog):
    from gongjiang.jobs.tests.test_busy_database import _worker

    path = settings.GONGJIANG_AUDIT_CHECKPOINT_FILE
    first = audit_record(actor=personas.city, action="test.one")
    worker = _worker()
    worker.nightly = True
    worker.maybe_checkpoint()
    assert json.loads(path.read_text().splitlines()[-1])["last_id"] == first.pk
    audit_record(actor=personas.city, action="test.two")
    worker._checkpoint_checked = 0
    worker.maybe_checkpoint()  # the last one is less than an hour old
    assert len(path.read_text().splitlines()) == 1
    # An hour later, after the newest rows were cut: no new checkpoint, an error in the log.
    lines = path.read_text().splitlines()
    point = json.loads(lines[-1])
    point["at"] = (timezone.now() - datetime.timedelta(hours=2)).isoformat()
    from gongjiang.accounts.services import CHECKPOINT_PURPOSE, _checkpoint_payload
    from gongjiang.core.crypto import get_provider

    point["sig"] = get_provider().mac(_checkpoint_payload(point), purpose=CHECKPOINT_PURPOSE)
    path.write_text(json.dumps(point) + "\n")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditentry WHERE id >= %s", [first.pk])
    worker._checkpoint_checked = 0
    worker.maybe_checkpoint()
    assert len(path.read_text().splitlines()) == 1
    assert any("does not match its checkpoint" in r.getMessage() for r in caplog.records)
