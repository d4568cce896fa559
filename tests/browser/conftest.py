"""Playwright fixtures: Debian's Chromium (never a downloaded browser), one per session; a fresh
browser context (cookies, storage) per test; a login that goes through the real login form."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 10_000  # a local server answers in milliseconds; a failure should not hang the suite


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A page in a fresh context. A test also fails when a page's script throws, a local asset
    does not load, or the Content-Security-Policy blocks something: the user would see a broken page."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, "the browser reported: " + "; ".join(problems)


@pytest.fixture
def live_personas(refdata):
    """The standing personas in a transactional database, visible to the live server's thread.
    ``refdata`` (root conftest) reloads the reference rows that each transactional flush removes."""
    from gongjiang.common.testing import build_personas

    return build_personas()


@pytest.fixture
def log_in(page: Page) -> Callable[[str], Page]:
    """Sign in through the login form as a user whose password is the personas' PASSWORD."""
    from gongjiang.common.testing import PASSWORD

    def _log_in(username: str, password: str = PASSWORD) -> Page:
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_test_id("current-user")).to_be_visible()
        return page

    return _log_in


@pytest.fixture
def log_out(page: Page) -> Callable[[], None]:
    """Sign out through the navigation bar's button."""

    def _log_out() -> None:
        page.get_by_role("button", name="退出").click()
        expect(page.get_by_label("用户名")).to_be_visible()

    return _log_out


@pytest.fixture
def carrier_rules(refdata) -> None:
    """The seeded per-type carrier rules (a transactional flush removes them with the reference data)."""
    from django.apps import apps

    from gongjiang.carriers.rules import load_rules

    load_rules(apps)


@pytest.fixture
def switch_user(page: Page, log_in) -> Callable[[str], Page]:
    """Drop the session and sign in as another user. Waits for the page's own requests first (the
    navigation bar's to-do count): a response still on its way would bring the old session back."""

    def _switch(username: str) -> Page:
        page.wait_for_load_state("networkidle")
        page.context.clear_cookies()
        return log_in(username)

    return _switch


@pytest.fixture
def worker():
    """A real django-tasks-db worker in a thread of the test process, as `manage.py worker` would run."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    task_worker = Worker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    )

    def run():
        try:
            task_worker.run()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield task_worker
    task_worker.running = False
    thread.join(10)


@pytest.fixture
def honours_data(refdata) -> None:
    """The seeded honour titles and competition award rules (a transactional flush removes them)."""
    from django.apps import apps

    from gongjiang.competitions.rules import load_award_rules
    from gongjiang.honours.titles import load_titles

    load_titles(apps)
    load_award_rules(apps)
