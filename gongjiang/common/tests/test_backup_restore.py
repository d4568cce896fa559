"""Backup and restore drill: ``backup OUT_DIR`` then ``restore IN_DIR`` into a database just created
empty, on SQLite and PostgreSQL alike: the restored database matches the manifest's counts, passes
verify_audit (against the checkpoint too) and gives the same ``indicators --json``; the encrypted
files come back byte for byte; the backup holds no key and no clear ID number; a non-empty target
and a damaged backup are refused."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from gongjiang.accounts.services import audit_checkpoint
from gongjiang.core.crypto import decrypt
from gongjiang.jobs.tests.helpers import roster_rows, run, write_csv
from gongjiang.talents.models import Certificate, Person

pytestmark = pytest.mark.django_db(transaction=True)


def _url(name: str) -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    return f"sqlite:///{name}"


@pytest.fixture
def empty_database(tmp_path):
    """A database just created, with no tables."""
    if connection.vendor != "postgresql":
        yield _url(str(tmp_path / "restored.sqlite3"))
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    admin = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "dbname": "postgres",
    }
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _url(name)
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (this checkout's manage.py)
        [sys.executable, "manage.py", *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _indicators_here() -> dict:
    out = io.StringIO()
    call_command("indicators", "--json", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_backup_restores_into_an_empty_database_with_the_same_indicators(
    tmp_path, refdata, personas, empty_database
):
    rows = roster_rows(40, seed=17)
    job = run(
        write_csv(tmp_path / "roster.csv", [*rows, ["坏行", "123", *[""] * 10]]),
        personas.city,
        mode="valid_only",
    )
    assert job.output_file  # an encrypted error report in the job directory
    audit_checkpoint()
    people, certificates = Person.objects.count(), Certificate.objects.count()
    out = tmp_path / "backup"
    call_command("backup", str(out), stdout=io.StringIO())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["models"]["talents.person"]["count"] == people
    assert manifest["models"]["talents.certificate"]["count"] == certificates
    assert job.output_file in manifest["files"]

    # No key and no clear personal data in the backup.
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    data_key = os.environ.get("GONGJIANG_DATA_KEY", "")
    assert not data_key or data_key.split(":")[-1].encode() not in everything
    assert settings.SECRET_KEY.encode() not in everything
    clear_id = decrypt(Person.objects.first().id_cipher)
    assert clear_id.encode() not in everything

    restored_dir = tmp_path / "restored"
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": empty_database,
        "GONGJIANG_JOB_DIR": str(restored_dir / "jobs"),
        "GONGJIANG_AUDIT_CHECKPOINT_FILE": str(restored_dir / "checkpoints.jsonl"),
    }
    done = _manage(env, "restore", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "与备份清单一致" in done.stdout and "审计日志校验通过" in done.stdout
    assert "与检查点" in done.stdout  # checked against the checkpoint the backup carried

    counted = _manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        "from gongjiang.talents.models import Person, Certificate; print(Person.objects.count(), Certificate.objects.count())",
    )
    assert counted.stdout.split() == [str(people), str(certificates)]
    indicators = _manage(env, "indicators", "--json")
    assert json.loads(indicators.stdout.strip().splitlines()[-1]) == _indicators_here()
    assert _manage(env, "verify_audit").returncode == 0
    assert (restored_dir / "jobs" / job.output_file).read_bytes() == (
        Path(settings.GONGJIANG_JOB_DIR) / job.output_file
    ).read_bytes()
    # A decrypted sample reads the same with the same key ring.
    sample = _manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        f"from gongjiang.talents.models import Person; from gongjiang.core.crypto import decrypt; "
        f"print(decrypt(Person.objects.get(pk={Person.objects.first().pk}).id_cipher))",
    )
    assert sample.stdout.strip() == clear_id

    # The restored database is not empty any more: a second restore into it is refused.
    again = _manage(env, "restore", str(out))
    assert again.returncode != 0 and "不是空的" in again.stderr


def test_a_damaged_backup_is_refused(tmp_path, refdata, personas, empty_database):
    out = tmp_path / "backup"
    call_command("backup", str(out), stdout=io.StringIO())
    path = out / "data" / "accounts.user.jsonl"
    path.write_text(path.read_text().replace("city_admin", "talent", 1))
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": empty_database,
        "GONGJIANG_JOB_DIR": str(tmp_path / "j"),
    }
    done = _manage(env, "restore", str(out))
    assert done.returncode != 0 and "校验和不符" in done.stderr
