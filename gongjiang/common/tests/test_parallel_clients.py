"""Parallel clients against a real server (gunicorn, two processes of four threads): county
operators, an employer, a department and a talent each log in and browse, open personal data (an
audited view) and mark messages read, at the same time, while on SQLite another writer takes the
write lock again and again (an import's merge, a dashboard rebuild). No request may fail: every
answer is the page (200) or a redirect (302), never a 500 or a busy page, and the audit chain is
intact afterwards, on both databases."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
import urllib.parse
from collections import Counter

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from gongjiang.accounts.models import AuditEntry, User
from gongjiang.accounts.services import audit_verify
from gongjiang.common.tests.test_production_smoke import Browser, _database_url, gunicorn
from gongjiang.workflow.services import notify

PASSWORD = "Parallel-Passw0rd!"
ROUNDS = 4


def _pages(personas) -> dict[str, tuple[list[str], list[str]]]:
    """Per account: the pages it opens (200 each) and the forms it posts."""
    read = "/todo/notifications/read/"
    staff = ["/stats/", "/talents/persons/", "/todo/", "/todo/notifications/"]
    haizhou, ganyu = personas.person_haizhou.pk, personas.person_ganyu.pk
    return {
        # Full ID and phone shown with a reason: an audited reveal from many threads at once.
        "haizhou": ([*staff, f"/talents/persons/{haizhou}/"], [read, f"/talents/persons/{haizhou}/reveal/"]),
        "ganyu": ([*staff, f"/talents/persons/{ganyu}/"], [read, f"/talents/persons/{ganyu}/reveal/"]),
        "org": (["/todo/", "/todo/notifications/", f"/talents/persons/{haizhou}/"], [read]),
        "edu": (["/todo/", "/todo/notifications/"], [read]),
        "talent": (["/me/", "/todo/notifications/"], [read]),
    }


def _login(browser: Browser, username: str) -> None:
    status, _headers, page = browser.request("GET", "/accounts/login/")
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    status, headers, _ = browser.request("POST", "/accounts/login/", body)
    assert status == 302 and "/accounts/login/" not in headers["location"], (username, status)


def _client(port: int, username: str, pages: tuple, seen: Counter, problems: list) -> None:
    gets, posts = pages
    try:
        browser = Browser(port)
        _login(browser, username)
        for _round in range(ROUNDS):
            for path in gets:
                status, headers, _page = browser.request("GET", path)
                seen[status] += 1
                if status != 200:
                    problems.append((username, "GET", path, status, headers.get("location")))
            for path in posts:
                fields = {"csrfmiddlewaretoken": browser.cookies["csrftoken"], "reason": "并发核对"}
                status, _headers, page = browser.request("POST", path, urllib.parse.urlencode(fields))
                seen[status] += 1
                expected = 302 if path.endswith("/read/") else 200
                if status != expected or (expected == 200 and "并发核对".encode() in page):
                    problems.append((username, "POST", path, status))
    except Exception as exc:  # a dropped connection is a failure too
        problems.append((username, "error", repr(exc)))


def _hold_lock_repeatedly(stop: threading.Event, held: list[int]) -> None:
    """Another writer on SQLite: the write lock for 0.3 s, then 0.2 s free, until told to stop."""
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=30)
    try:
        while not stop.is_set():
            other.execute("BEGIN IMMEDIATE")
            time.sleep(0.3)
            other.execute("COMMIT")
            held[0] += 1
            time.sleep(0.2)
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_parallel_clients_get_no_errors_and_the_audit_chain_holds(tmp_path, refdata, personas):
    pages = _pages(personas)
    hasher = PBKDF2PasswordHasher()  # the server's; a full-strength salt, so no login re-hashes it
    for username in pages:
        User.objects.filter(username=username).update(
            password=hasher.encode(PASSWORD, hasher.salt()), must_change_password=False
        )
        notify(users=[User.objects.get(username=username)], text="并发测试消息")
    audit_before = AuditEntry.objects.count()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "GONGJIANG_VAR_DIR": str(tmp_path / "var"),
        "GONGJIANG_AUDIT_CHECKPOINT_FILE": str(settings.GONGJIANG_AUDIT_CHECKPOINT_FILE),
    }
    stop, held = threading.Event(), [0]
    seen: Counter = Counter()
    problems: list = []
    with gunicorn(env, workers=2, threads=4) as port:
        holder = threading.Thread(target=_hold_lock_repeatedly, args=(stop, held))
        if connection.vendor == "sqlite":
            holder.start()
        try:
            clients = [
                threading.Thread(target=_client, args=(port, username, paths, seen, problems))
                for username, paths in pages.items()
                for _copy in range(2)  # two browsers each: eight to ten requests in flight
            ]
            for client in clients:
                client.start()
            for client in clients:
                client.join(300)
        finally:
            stop.set()
            if holder.is_alive():
                holder.join(10)
    assert problems == [], problems[:10]
    expected = 2 * sum(ROUNDS * (len(gets) + len(posts)) for gets, posts in pages.values())
    assert sum(seen.values()) == expected and set(seen) == {200, 302}
    if connection.vendor == "sqlite":
        assert held[0] > 5, "the other writer never held the lock"
    # Each reveal was audited, from many threads at once, and the chain still links up.
    assert AuditEntry.objects.filter(action="person.reveal").count() == 2 * 2 * ROUNDS
    assert AuditEntry.objects.count() > audit_before
    assert audit_verify() == []
