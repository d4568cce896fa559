"""Tokens: issued by the city (command and page), shown once, kept as a digest; refused when
expired, revoked, wrong or when their user is deactivated; rate-limited; every call audited."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongjiang.accounts.models import AuditEntry
from gongjiang.api.models import ApiToken
from gongjiang.api.services import api_token_revoke

pytestmark = pytest.mark.django_db

PERSONS = "/api/v1/persons"


def test_command_prints_the_token_on_its_last_line_and_keeps_only_its_digest(client, personas, bearer):
    out = io.StringIO()
    call_command(
        "api_token", "create", "--user", "haizhou", "--expires", "30", stdout=out, stderr=io.StringIO()
    )
    token = out.getvalue().strip().splitlines()[-1]
    assert token.startswith("gj_") and len(token) > 40
    row = ApiToken.objects.get()
    assert row.user == personas.haizhou
    assert token not in (row.digest, row.prefix) and row.prefix == token[:10]
    assert datetime.timedelta(days=29) < row.expires_at - timezone.now() <= datetime.timedelta(days=30)
    answer = client.get(PERSONS, **bearer(token))
    assert answer.status_code == 200
    assert [p["name"] for p in answer.json()["items"]] == ["海州人员"]
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_command_refuses_an_unknown_user(personas):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="用户不存在"):
        call_command("api_token", "create", "--user", "nobody", stdout=io.StringIO())


def _refused(answer) -> None:
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Bearer"
    body = answer.json()
    assert "令牌" in body["detail"] and body["errors"] == []


def test_missing_and_wrong_tokens_are_refused_in_chinese(client, personas, issue, bearer):
    issue(personas.city)
    _refused(client.get(PERSONS))
    _refused(client.get(PERSONS, **bearer("gj_not-a-real-token")))
    _refused(client.get(PERSONS, HTTP_AUTHORIZATION="Basic Y2l0eTpjaXR5"))
    assert AuditEntry.objects.filter(action="api.denied", changes__why="unknown").count() == 1


def test_an_expired_token_is_refused(client, personas, issue, bearer):
    token = issue(personas.city, days=1)
    assert client.get(PERSONS, **bearer(token)).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _refused(client.get(PERSONS, **bearer(token)))
    assert AuditEntry.objects.filter(action="api.denied", changes__why="expired").count() == 1


def test_a_revoked_token_is_refused_at_once(client, personas, issue, bearer):
    token = issue(personas.haizhou)
    assert client.get(PERSONS, **bearer(token)).status_code == 200
    api_token_revoke(actor=personas.city, token=ApiToken.objects.get(), reason="对接结束")
    _refused(client.get(PERSONS, **bearer(token)))
    assert AuditEntry.objects.filter(action="api_token.revoke", changes__reason="对接结束").count() == 1


def test_a_token_of_a_deactivated_user_is_refused(client, personas, issue, bearer):
    token = issue(personas.org_operator)
    assert client.get(PERSONS, **bearer(token)).status_code == 200
    personas.org_operator.is_active = False
    personas.org_operator.save()
    _refused(client.get(PERSONS, **bearer(token)))


def test_only_the_city_issues_tokens(personas):
    from django.core.exceptions import PermissionDenied

    from gongjiang.api.services import api_token_create

    with pytest.raises(PermissionDenied):
        api_token_create(actor=personas.haizhou, user=personas.haizhou)


def test_calls_beyond_the_tokens_limit_get_429_with_retry_after(client, personas, issue, bearer, settings):
    settings.GONGJIANG_API_CALLS_PER_MINUTE = 2
    token = issue(personas.city)
    assert [client.get(PERSONS, **bearer(token)).status_code for _ in range(2)] == [200, 200]
    answer = client.get(PERSONS, **bearer(token))
    assert answer.status_code == 429
    assert 1 <= int(answer["Retry-After"]) <= 60
    assert "频繁" in answer.json()["detail"]
    statuses = list(AuditEntry.objects.filter(action="api.call").values_list("changes__status", flat=True))
    assert sorted(statuses) == [200, 200, 429]
    # Another token has its own count.
    assert client.get(PERSONS, **bearer(issue(personas.city))).status_code == 200


def test_every_call_is_audited_with_its_token_and_request_id(client, personas, issue, bearer):
    token = issue(personas.haizhou)
    row = ApiToken.objects.get()
    ok = client.get(PERSONS, **bearer(token))
    missing = client.get("/api/v1/persons/%d" % personas.person_ganyu.pk, **bearer(token))
    assert missing.status_code == 404
    calls = list(AuditEntry.objects.filter(action="api.call").order_by("id"))
    assert [(c.changes["token"], c.changes["path"], c.changes["status"]) for c in calls] == [
        (row.pk, PERSONS, 200),
        (row.pk, "/api/v1/persons/%d" % personas.person_ganyu.pk, 404),
    ]
    assert [c.request_id for c in calls] == [ok["X-Request-ID"], missing["X-Request-ID"]]
    assert {c.user_id for c in calls} == {personas.haizhou.pk}


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, personas, issue, bearer, settings):
    settings.GONGJIANG_API_MAX_BODY_KB = 1
    token = issue(personas.city)
    answer = client.post("/api/v1/roster", "x" * 2048, content_type="application/json", **bearer(token))
    assert answer.status_code == 413
    assert "过大" in answer.json()["detail"]


def test_city_issues_a_token_in_the_browser_shown_once_and_revokes_it(client, personas, bearer):
    client.force_login(personas.city)
    answer = client.post(
        "/api-tokens/new/", {"user": personas.org_operator.pk, "name": "企业人事系统", "days": "90"}
    )
    assert answer.status_code == 200
    row = ApiToken.objects.get()
    token = answer.context["secret"]
    assert token.encode() in answer.content and row.name == "企业人事系统"
    listing = client.get("/api-tokens/")
    assert (
        b"\xe4\xbc\x81\xe4\xb8\x9a\xe4\xba\xba\xe4\xba\x8b\xe7\xb3\xbb\xe7\xbb\x9f" in listing.content
    )  # 企业人事系统
    assert token.encode() not in listing.content
    assert client.get(PERSONS, **bearer(token)).status_code == 200
    assert client.post("/api-tokens/%d/revoke/" % row.pk, {"reason": "更换令牌"}).status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None and row.revoked_by == personas.city
    assert client.get(PERSONS, **bearer(token)).status_code == 401


def test_only_the_city_opens_the_token_page(client, personas):
    client.force_login(personas.haizhou)
    assert client.get("/api-tokens/").status_code == 403
    assert client.get("/api-tokens/new/").status_code == 403


def test_interactive_docs_are_for_signed_in_users_and_load_nothing_from_outside(client, personas):
    assert client.get("/api/v1/docs").status_code == 302
    assert client.get("/api/v1/openapi.json").status_code == 200  # the schema itself is public
    client.force_login(personas.org_operator)
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page
