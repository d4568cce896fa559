"""Production starts as docs/operations.md says: with DEBUG off, ``collectstatic --noinput`` passes
and the application under gunicorn (the pinned WSGI server) serves the login, the dashboard after
logging in, and the hashed static files the pages name."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongjiang.accounts.models import User

PASSWORD = "Smoke-test-Passw0rd!"


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 1, threads: int = 1):
    """The application under gunicorn (the pinned WSGI server) on a free port, started and
    answering before the block runs, stopped after it. Yields the port."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own venv's gunicorn)
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "gongjiang.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                Browser(port).request("GET", "/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(10)


class Browser:
    """Just enough of a browser behind the TLS proxy: cookies (Secure ones too, as over HTTPS) and
    the proxy's X-Forwarded-Proto header."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{self.port}/accounts/login/",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
        result = response.status, {k.lower(): v for k, v in response.getheaders()}, data
        conn.close()
        return result


@pytest.mark.django_db(transaction=True)
def test_collectstatic_and_gunicorn_with_debug_off(tmp_path, refdata):
    smoke = User.objects.create(
        username="smoke",
        first_name="冒烟测试",
        role="city_admin",
        password=PBKDF2PasswordHasher().encode(PASSWORD, "smokesalt0123456"),  # the server's hasher
    )
    # In production a city admin must give a second factor: an enrolled authenticator.
    device = TOTPDevice.objects.create(user=smoke, name="手机", confirmed=True)
    env = {
        **os.environ,
        "DEBUG": "0",
        "GONGJIANG_SECRET_KEY": "smoke-" + "s" * 60 + "-Xy7#Qp",
        "GONGJIANG_DATA_KEY": "1:" + "%064x" % 7,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _database_url(),
        "GONGJIANG_VAR_DIR": str(tmp_path / "var"),
    }
    base = Path(settings.BASE_DIR)
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=base,
        env=env,
        capture_output=True,
        text=True,
    )
    assert collected.returncode == 0, collected.stderr[-2000:]
    assert (tmp_path / "var" / "static" / "staticfiles.json").exists()

    with gunicorn(env) as port:
        browser = Browser(port)
        status, _headers, page = browser.request("GET", "/accounts/login/")
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        status, headers, _ = browser.request(
            "POST",
            "/accounts/login/",
            f"csrfmiddlewaretoken={token}&username=smoke&password={PASSWORD.replace('!', '%21')}",
        )
        assert status == 302, status
        status, headers, _ = browser.request("GET", "/stats/")  # no page before the second factor
        assert status == 302 and headers["location"].startswith("/accounts/otp/"), headers.get("location")
        status, _headers, page = browser.request("GET", "/accounts/otp/")
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        code = "%06d" % totp(device.bin_key)
        status, headers, _ = browser.request(
            "POST", "/accounts/otp/", f"csrfmiddlewaretoken={token}&token={code}"
        )
        assert status == 302, status
        status, _headers, page = browser.request("GET", "/stats/")
        assert status == 200
        assert "冒烟测试".encode() in page or b"smoke" in page
        sheets = re.findall(rb'<link[^>]+href="(/static/[^"]+\.css)"', page)
        scripts = re.findall(rb'<script[^>]+src="(/static/[^"]+\.js)"', page)
        assert sheets and scripts
        for url in sheets + scripts:
            assert re.search(rb"\.[0-9a-f]{12}\.(css|js)$", url), url  # the manifest's hashed names
            status, headers, body = browser.request("GET", url.decode())
            assert status == 200 and body, url
            assert headers["content-type"].startswith(
                ("text/css", "text/javascript", "application/javascript")
            )
