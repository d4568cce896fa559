"""The second factor (SECURITY.md: TOTP, django-otp) with recovery codes: forced for the accounts
that need it when GONGJIANG_OTP_REQUIRED is on (DEBUG off), offered otherwise."""

import os
import subprocess
import sys

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.second_factor import second_factor_required

pytestmark = pytest.mark.django_db


def _code(device, steps_ahead: int = 0) -> str:
    """The authenticator's code (``steps_ahead`` time steps later: a code is accepted once, and
    the verifier allows one step of clock drift)."""
    t0 = device.t0 - steps_ahead * device.step
    return "%0*d" % (device.digits, totp(device.bin_key, device.step, t0, device.digits, device.drift))


def _enrol(client, user):
    """Enrol through the pages; returns the recovery codes shown."""
    page = client.get("/accounts/otp/setup/")
    assert page.status_code == 200
    assert 'data-testid="otp-qr"' in page.content.decode() and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/accounts/otp/setup/", {"token": _code(device), "next": "/talents/persons/"})
    assert done.status_code == 200
    html = done.content.decode()
    section = html.split('data-testid="recovery-codes">')[1].split("</ul>")[0]
    return [part.split("<")[0] for part in section.split('<li class="col-6">')[1:]]


def test_who_needs_a_second_factor(personas):
    from gongjiang.accounts.choices import Role
    from gongjiang.accounts.tests.factories import UserFactory

    needs = {name: second_factor_required(getattr(personas, name)) for name in ("city", "haizhou", "auditor")}
    assert needs == {"city": True, "haizhou": True, "auditor": True}  # a county operator reveals IDs
    assert not second_factor_required(personas.org_operator)
    assert not second_factor_required(personas.talent)
    assert not second_factor_required(personas.department)
    assert second_factor_required(UserFactory(role=Role.SECURITY_ADMIN))
    assert second_factor_required(UserFactory(role=Role.SYSTEM_ADMIN))


def test_enforced_a_city_admin_without_a_device_reaches_only_enrolment(personas, login, settings):
    settings.GONGJIANG_OTP_REQUIRED = True
    client = login(personas.city)
    response = client.get("/talents/persons/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/setup/")
    assert login(personas.org_operator).get("/talents/persons/").status_code == 200  # not needed there


def test_enrolment_shows_ten_recovery_codes_once_and_unlocks_the_session(personas, login, settings):
    settings.GONGJIANG_OTP_REQUIRED = True
    client = login(personas.city)
    codes = _enrol(client, personas.city)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/talents/persons/").status_code == 200
    assert AuditEntry.objects.filter(action="otp.enrol", username="city").count() == 1
    assert not any(code in str(e.changes) for e in AuditEntry.objects.all() for code in codes)


def test_a_new_session_asks_for_the_code_and_takes_a_recovery_code_once(personas, client, settings):
    settings.GONGJIANG_OTP_REQUIRED = True
    client.force_login(personas.city)
    codes = _enrol(client, personas.city)
    client.logout()
    client.force_login(personas.city)
    response = client.get("/stats/")
    assert response["Location"].startswith("/accounts/otp/?")
    # A password alone cannot replace the enrolled authenticator.
    assert client.get("/accounts/otp/setup/")["Location"].startswith("/accounts/otp/?")
    ok = client.post("/accounts/otp/", {"token": codes[0], "next": "/stats/"})
    assert ok.status_code == 302 and ok["Location"] == "/stats/"
    assert client.get("/talents/persons/").status_code == 200
    assert AuditEntry.objects.filter(action="otp.recovery_used", username="city").get().changes == {"left": 9}
    client.logout()
    client.force_login(personas.city)
    assert client.post("/accounts/otp/", {"token": codes[0]}).status_code == 422  # used up
    assert AuditEntry.objects.filter(action="otp.failed", username="city").exists()
    assert client.get("/talents/persons/").status_code == 302


def test_with_debug_on_it_is_offered_not_forced_but_asked_once_enrolled(personas, client, settings):
    settings.GONGJIANG_OTP_REQUIRED = False
    client.force_login(personas.city)
    assert client.get("/talents/persons/").status_code == 200
    assert 'data-testid="nav-otp"' in client.get("/talents/persons/").content.decode()
    _enrol(client, personas.city)
    client.logout()
    client.force_login(personas.city)
    assert client.get("/talents/persons/")["Location"].startswith("/accounts/otp/?")
    device = TOTPDevice.objects.get(user=personas.city, confirmed=True)
    assert client.post("/accounts/otp/", {"token": _code(device, steps_ahead=1)}).status_code == 302
    assert client.get("/talents/persons/").status_code == 200


def test_production_settings_force_it():
    env = {
        **os.environ,
        "DEBUG": "0",
        "GONGJIANG_SECRET_KEY": "x" * 50,
        "GONGJIANG_DATA_KEY": "1:" + "ab" * 32,
    }
    env.pop("GONGJIANG_OTP_REQUIRED", None)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gongjiang.settings'); django.setup(); from django.conf import settings; print(settings.GONGJIANG_OTP_REQUIRED)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "True"
