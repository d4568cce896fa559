"""Identity, sessions, the audit chain and the response headers (SECURITY.md)."""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from gongjiang.accounts.models import AuditEntry, User
from gongjiang.accounts.services import audit_record, audit_verify
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.common.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_usernames_are_unique_case_insensitively():
    UserFactory(username="admin")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="Admin")


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Short1!", False),  # too short
        ("alllowercaseletters", False),  # one class
        ("lowercase123456", False),  # two classes
        ("Lianyungang#2026", True),
        ("Zhangwei-2026x", False),  # contains the username
        ("123456789012", False),  # numeric / common
    ],
)
def test_password_rules(password, ok):
    user = User(username="zhangwei", role="city_admin")
    if ok:
        validate_password(password, user)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, user)


def test_lockout_after_five_failures_then_right_password_refused(client):
    UserFactory(username="officer", role="city_admin")
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "officer", "password": "wrong-Passw0rd!"})
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert AuditEntry.objects.filter(action="login.failed", username="officer").count() >= 5
    assert AuditEntry.objects.filter(action="login.locked_out").exists()


@pytest.mark.parametrize("variant", ["GANYU", "Ganyu", " gAnyu ", "gaNYU"])
def test_lockout_counts_per_case_folded_username(client, variant):
    UserFactory(username="ganyu", role="region_operator", region_id="320707")
    # Each try from its own address, so only the per-username count can lock.
    for i in range(5):
        data = {"username": "ganyu", "password": "wrong-Passw0rd!"}
        client.post("/accounts/login/", data, REMOTE_ADDR=f"10.0.0.{i}")
    data = {"username": variant, "password": PASSWORD}
    response = client.post("/accounts/login/", data, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_different_cases_add_up_to_one_lockout(client):
    UserFactory(username="ganyu", role="region_operator", region_id="320707")
    for i, variant in enumerate(["GANYU", "Ganyu", "gAnyu", "ganyU", "GaNyU"]):
        data = {"username": variant, "password": "wrong-Passw0rd!"}
        client.post("/accounts/login/", data, REMOTE_ADDR=f"10.0.0.{i}")
    response = client.post(
        "/accounts/login/", {"username": "ganyu", "password": PASSWORD}, REMOTE_ADDR="10.0.1.1"
    )
    assert response.status_code == 429


def test_unknown_user_and_wrong_password_get_the_same_message(client):
    UserFactory(username="officer2", role="city_admin")
    a = client.post("/accounts/login/", {"username": "nobody", "password": "x"}).content.decode()
    b = client.post("/accounts/login/", {"username": "officer2", "password": "x"}).content.decode()
    assert "用户名或密码不正确" in a
    assert "用户名或密码不正确" in b


def test_login_rotates_session_and_logout_deletes_it(client):
    UserFactory(username="officer3", role="city_admin")
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen"
    client.post("/accounts/login/", {"username": "officer3", "password": PASSWORD})
    session_id = client.cookies["sessionid"].value
    assert session_id != "attacker-chosen"
    assert client.get("/talents/persons/").status_code == 200
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = session_id  # replay the old cookie
    response = client.get("/talents/persons/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_session_older_than_twelve_hours_is_ended(client, personas):
    client.force_login(personas.city)
    session = client.session
    session["_auth_at"] = time.time() - 13 * 3600
    session.save()
    response = client.get("/talents/persons/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_idle_expiry_is_thirty_minutes_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_one_time_password_must_be_changed_first(client):
    user = UserFactory(username="newadmin", role="city_admin", must_change_password=True)
    client.force_login(user)
    response = client.get("/talents/persons/")
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/password/")


def test_audit_chain_verifies_and_names_a_tampered_row(personas):
    first = audit_record(actor=personas.city, action="test.one")
    second = audit_record(actor=personas.city, action="test.two")
    assert second.prev_mac == first.mac
    assert audit_verify() == []
    call_command("verify_audit")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_auditentry SET action = %s WHERE id = %s", ["test.forged", first.pk])
    assert audit_verify() == [first.pk]
    with pytest.raises(CommandError, match=str(first.pk)):
        call_command("verify_audit")


def test_audit_rows_cannot_be_changed_through_the_orm(personas):
    entry = audit_record(actor=personas.city, action="test.x")
    entry.action = "changed"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_audit_scrubs_full_numbers_given_by_mistake(personas):
    entry = audit_record(
        actor=personas.city, action="test.scrub", changes={"note": "320706199001011230 / 13812345678"}
    )
    assert entry.changes["note"] == "320706********1230 / 138****5678"


def test_failing_audit_rolls_back_the_action(personas, monkeypatch):
    from gongjiang.talents import services

    cert = personas.person_haizhou.certificates.first()

    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.certificate_revoke(actor=personas.city, certificate=cert, reason="测试回滚")
    cert.refresh_from_db()
    assert cert.status == "valid"


def test_audit_page_is_for_city_admin_and_auditor_only(personas, login):
    audit_record(actor=personas.city, action="test.visible")
    assert login(personas.city).get("/accounts/audit/").status_code == 200
    assert login(personas.auditor).get("/accounts/audit/", {"action": "login"}).status_code == 200
    assert login(personas.haizhou).get("/accounts/audit/").status_code == 403
    auditor = login(personas.auditor)
    assert auditor.get("/talents/persons/").status_code == 403


def test_audit_page_filters(personas, login):
    audit_record(actor=personas.city, action="stats.refresh")
    audit_record(actor=personas.haizhou, action="official_total.save")
    response = login(personas.city).get("/accounts/audit/", {"action": "stats.refresh"})
    actions = [row.record.action for row in response.context["table"].paginated_rows]
    assert actions == ["stats.refresh"]


def test_security_headers_on_pages(personas, login):
    response = login(personas.city).get("/talents/persons/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"


def test_templates_reference_no_external_hosts():
    root = Path(settings.BASE_DIR) / "gongjiang" / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for marker in ('src="http', "src='http", 'href="http', "href='http", 'src="//', 'href="//'):
            if marker in text:
                offenders.append(f"{path.name}: {marker}")
    assert offenders == []


def test_healthz_answers_200_then_503_without_database(client, monkeypatch):
    assert client.get("/healthz").json()["database"] == "ok"

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_server_error_page_shows_no_traceback(client, settings, personas):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(personas.city)
    from gongjiang.talents import views

    original = views.person_profile
    try:
        views.person_profile = lambda **kw: 1 / 0
        response = client.get(f"/talents/persons/{personas.person_haizhou.pk}/")
    finally:
        views.person_profile = original
    body = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in body
    assert "ZeroDivisionError" not in body
    assert "请求编号" in body
