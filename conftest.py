import os

import pytest

# Tests run with development keys unless the environment provides real ones.
os.environ.setdefault("DEBUG", "1")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def personas(db):
    from gongjiang.common.testing import build_personas

    return build_personas()


@pytest.fixture
def login(client):
    """Log ``client`` in as a user (through Django's login, so the session is a real one)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness only slows the suite; hashing itself is Django's and tested there.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def refdata(transactional_db):
    """Reference data for transactional tests (live server, threads): Django flushes every table,
    migration-loaded rows included, after each such test, so they are loaded again here."""
    from django.apps import apps

    from gongjiang.core.refdata import load_refdata

    load_refdata(apps)


@pytest.fixture(autouse=True)
def _job_files_in_tmp(settings, tmp_path):
    # Encrypted job files of each test go to its own temporary directory.
    settings.GONGJIANG_JOB_DIR = tmp_path / "jobs"
    settings.GONGJIANG_WORK_DIR = tmp_path / "work"
    settings.GONGJIANG_AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "checkpoints.jsonl"
