"""Nightly steps of the jobs app (and of accounts, which sits above jobs and cannot register its
own): the audit chain checked against its checkpoint and a new checkpoint, leftover clear files."""

from __future__ import annotations

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.services import audit_checkpoint, audit_verify, audit_verify_checkpoint

from . import files


class AuditChainBroken(Exception):
    pass


def audit_verify_and_checkpoint() -> dict:
    """Verify the chain and the table against the latest checkpoint; only when both pass, write a
    new checkpoint (a broken or truncated log is never signed as the new truth)."""
    bad = audit_verify()
    problems = audit_verify_checkpoint()
    if bad or problems:
        parts = []
        if bad:
            parts.append("%d 条记录校验不一致，编号：%s" % (len(bad), ", ".join(map(str, bad[:20]))))
        raise AuditChainBroken("审计日志校验失败：" + "；".join(parts + problems))
    point = audit_checkpoint()
    return {"rows": AuditEntry.objects.count(), "checkpoint_last_id": point["last_id"]}


def leftovers_remove() -> dict:
    return files.remove_leftovers()
