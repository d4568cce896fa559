"""Public certificate verification: the page, the signed QR link and the API; the rate limit and
the audit row of every lookup."""

import datetime
import json

import pytest
from django.test import override_settings

from gongjiang.accounts.models import AuditEntry
from gongjiang.portal.tokens import certificate_id_from_token, certificate_token
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db

DEV_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
NEW_KEY = "ff" * 32


@pytest.fixture
def holder():
    return PersonFactory(name="王小明", id_number="320706199001011230")


def _cert(holder, **kw):
    defaults = {"person": holder, "number": "GJ-2026-0001", "level_id": "GRADE3", "occupation_name": "电工"}
    return CertificateFactory(**{**defaults, **kw})


def _post(client, number, name):
    return client.post("/verify/", {"number": number, "name": name})


def test_valid_certificate_shows_its_details_with_the_holder_masked(client, holder):
    _cert(holder, issuer="连云港市职业技能鉴定指导中心", issue_date=datetime.date(2026, 3, 1))
    page = _post(client, "GJ-2026-0001", "王小明").content.decode()
    assert 'data-testid="verify-status">有效<' in page
    assert "高级工" in page and "电工" in page and "连云港市职业技能鉴定指导中心" in page
    assert "2026-03-01" in page
    assert "王*明" in page and "320706********1230" in page
    assert "王小明" not in page and "320706199001011230" not in page


def test_revoked_certificate_is_shown_revoked(client, holder):
    _cert(holder, status="revoked")
    assert 'data-testid="verify-status">已撤销<' in _post(client, "GJ-2026-0001", "王小明").content.decode()


@pytest.mark.parametrize(
    "kw",
    [
        {"status": "expired"},
        {"valid_until": datetime.date(2020, 1, 1), "issue_date": datetime.date(2015, 1, 1)},
    ],
)
def test_expired_by_status_or_date_is_shown_expired(client, holder, kw):
    _cert(holder, **kw)
    assert 'data-testid="verify-status">已过期<' in _post(client, "GJ-2026-0001", "王小明").content.decode()


@pytest.mark.parametrize("number,name", [("GJ-2026-0001", "王小红"), ("GJ-2026-0002", "王小明")])
def test_wrong_name_and_wrong_number_give_the_same_answer(client, holder, number, name):
    _cert(holder)
    response = _post(client, number, name)
    page = response.content.decode()
    assert response.status_code == 200
    assert "未查到" in page and "verify-status" not in page and "王*明" not in page


def test_every_lookup_is_audited_without_the_name_in_clear(client, holder):
    certificate = _cert(holder)
    _post(client, "GJ-2026-0001", "王小明")
    _post(client, "GJ-2026-0001", "李四")
    rows = list(AuditEntry.objects.filter(action="certificate.verify").order_by("id"))
    assert [r.changes["outcome"] for r in rows] == ["valid", "not_found"]
    assert rows[0].object_id == str(certificate.pk)
    assert rows[0].changes["name_digest"] and rows[0].changes["name_digest"] != rows[1].changes["name_digest"]
    assert "王小明" not in json.dumps([r.changes for r in rows], ensure_ascii=False)
    assert "李四" not in json.dumps([r.changes for r in rows], ensure_ascii=False)


def test_signed_link_shows_the_certificate_without_typing(client, holder):
    certificate = _cert(holder, status="revoked")
    response = client.get("/verify/c/%s" % certificate_token(certificate.pk))
    assert response.status_code == 200
    assert 'data-testid="verify-status">已撤销<' in response.content.decode()
    assert AuditEntry.objects.get(action="certificate.verify").changes["via"] == "link"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # the MAC
        lambda t: str(int(t.split("-")[0]) + 1) + t[t.index("-") :],  # the certificate id
        lambda t: t.replace("-1-", "-2-", 1),  # the key version
        lambda t: t + "0",
    ],
)
def test_tampered_link_fails(client, holder, tamper):
    certificate = _cert(holder)
    _cert(holder, number="GJ-2026-0002")  # the next id exists: a changed id must still fail
    token = tamper(certificate_token(certificate.pk))
    response = client.get("/verify/c/%s" % token)
    assert response.status_code == 404
    assert "未查到" in response.content.decode()
    assert "verify-status" not in response.content.decode()


def test_link_of_an_old_key_version_still_verifies_after_rotation(holder):
    certificate = _cert(holder)
    with override_settings(GONGJIANG_DATA_KEY="1:" + DEV_KEY):
        old = certificate_token(certificate.pk)
    with override_settings(GONGJIANG_DATA_KEY="1:%s,2:%s" % (DEV_KEY, NEW_KEY)):
        new = certificate_token(certificate.pk)
        assert new.split("-")[1] == "2" and old.split("-")[1] == "1"
        assert certificate_id_from_token(old) == certificate.pk
        assert certificate_id_from_token(new) == certificate.pk
    with override_settings(GONGJIANG_DATA_KEY="2:" + NEW_KEY):  # version 1 retired: its links end
        assert certificate_id_from_token(old) is None
        assert certificate_id_from_token(new) == certificate.pk


@override_settings(GONGJIANG_VERIFY_LIMIT_PER_HOUR=3)
def test_rate_limit_answers_429_with_when_to_retry(client, holder):
    _cert(holder)
    for _ in range(3):
        assert _post(client, "GJ-2026-0001", "王小明").status_code == 200
    response = _post(client, "GJ-2026-0001", "王小明")
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 3600
    assert "查询过于频繁" in response.content.decode() and "北京时间" in response.content.decode()
    # The link and the API share the limit; another address still gets answers.
    assert client.get("/verify/c/%s" % certificate_token(holder.certificates.get().pk)).status_code == 429
    api = client.post(
        "/api/v1/certificates/verify",
        {"number": "GJ-2026-0001", "name": "王小明"},
        content_type="application/json",
    )
    assert api.status_code == 429 and "查询过于频繁" in api.json()["detail"]
    assert _post_from(client, "10.0.0.9").status_code == 200
    outcomes = list(
        AuditEntry.objects.filter(action="certificate.verify").values_list("changes__outcome", flat=True)
    )
    assert outcomes.count("rate_limited") == 3


def _post_from(client, address):
    return client.post("/verify/", {"number": "GJ-2026-0001", "name": "王小明"}, REMOTE_ADDR=address)


def _api(client, number, name):
    return client.post(
        "/api/v1/certificates/verify", {"number": number, "name": name}, content_type="application/json"
    )


def test_api_answers_status_level_occupation_issuer_and_date(client, holder):
    _cert(holder, issue_date=datetime.date(2026, 3, 1), issuer="某鉴定中心")
    response = _api(client, "GJ-2026-0001", "王小明")
    assert response.status_code == 200
    assert response.json() == {
        "status": "valid",
        "level": "高级工",
        "occupation": "电工",
        "issuer": "某鉴定中心",
        "issued_on": "2026-03-01",
    }


@pytest.mark.parametrize("number,name", [("GJ-2026-0001", "王小红"), ("NOPE", "王小明")])
def test_api_not_found_is_the_same_for_wrong_name_and_number(client, holder, number, name):
    _cert(holder, status="revoked")
    response = _api(client, number, name)
    assert response.status_code == 404
    assert response.json() == {"detail": "未查到"}


def test_api_revoked_and_expired(client, holder):
    _cert(holder, status="revoked")
    _cert(
        holder,
        number="GJ-2026-0002",
        valid_until=datetime.date(2021, 1, 1),
        issue_date=datetime.date(2016, 1, 1),
    )
    assert _api(client, "GJ-2026-0001", "王小明").json()["status"] == "revoked"
    assert _api(client, "GJ-2026-0002", "王小明").json()["status"] == "expired"


def test_openapi_schema_lists_the_verify_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/certificates/verify" in schema["paths"]
    assert set(schema["paths"]["/api/v1/certificates/verify"]["post"]["responses"]) >= {"200", "404", "429"}
