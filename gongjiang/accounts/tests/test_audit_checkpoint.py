"""Truncating the audit log is found: the chain head is signed into a checkpoint outside the table,
and verify_audit checks the table against the latest one."""

import json
import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gongjiang.accounts.services import (
    audit_checkpoint,
    audit_record,
    audit_verify,
    audit_verify_checkpoint,
)


@pytest.fixture
def chain(personas):
    return [audit_record(actor=personas.city, action=f"test.{i}") for i in range(4)]


def _delete_from(entry_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditentry WHERE id >= %s", [entry_id])


def test_deleting_the_newest_rows_is_found_against_the_checkpoint(chain, caplog):
    with caplog.at_level(logging.WARNING, logger="gongjiang.audit.checkpoint"):
        call_command("verify_audit", "--checkpoint")
    point = json.loads(settings.GONGJIANG_AUDIT_CHECKPOINT_FILE.read_text().splitlines()[-1])
    assert point["last_id"] == chain[-1].pk and point["last_mac"] == chain[-1].mac
    assert any(
        str(chain[-1].pk) in r.getMessage() and "audit checkpoint" in r.getMessage() for r in caplog.records
    )
    _delete_from(chain[-2].pk)
    assert audit_verify() == []  # what is left still links up: the chain alone cannot see this
    assert audit_verify_checkpoint()
    with pytest.raises(CommandError, match="已不存在"):
        call_command("verify_audit")


def test_deleting_every_row_is_found(chain):
    audit_checkpoint()
    _delete_from(0)
    with pytest.raises(CommandError, match="截断或删除"):
        call_command("verify_audit")


def test_rows_after_the_checkpoint_verify_and_a_forged_checkpoint_is_refused(chain, personas):
    audit_checkpoint()
    audit_record(actor=personas.city, action="test.later")
    call_command("verify_audit")
    path = settings.GONGJIANG_AUDIT_CHECKPOINT_FILE
    point = json.loads(path.read_text().splitlines()[-1])
    point["count"] -= 2  # an attacker who cut two rows and "fixes" the checkpoint to match
    path.write_text(path.read_text() + json.dumps(point) + "\n")
    with pytest.raises(CommandError, match="签名无效"):
        call_command("verify_audit")


def test_a_missing_row_below_the_checkpoint_is_counted(chain):
    audit_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditentry WHERE id = %s", [chain[1].pk])
    problems = audit_verify_checkpoint()
    assert any("有记录被删除" in p for p in problems)
