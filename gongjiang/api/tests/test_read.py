"""Reads: the same scope as the pages (another region's ids are 404 on both), masked personal
data, reveal through the page's service, cursor pagination, filters, indicators as the command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from gongjiang.accounts.models import AuditEntry
from gongjiang.carriers.tests.factories import CarrierFactory

pytestmark = pytest.mark.django_db


def _ganyu_person(p):
    return p.person_ganyu.pk


def _ganyu_certificate(p):
    return p.person_ganyu.certificates.get().pk


def _ganyu_organisation(p):
    return p.org_ganyu.pk


def _ganyu_carrier(p):
    return CarrierFactory(host=p.org_ganyu).pk


def _ganyu_digest(p):
    return p.person_ganyu.id_digest


def _ganyu_batch(p):
    from gongjiang.evaluation.tests.factories import BatchFactory, FilingFactory

    return BatchFactory(filing=FilingFactory(organisation=p.org_ganyu)).pk


_REVEAL = {"reason": "核对信息"}
_RESULTS = {"rows": [{"id_number": "320706199001011234"}]}

# (method, API path, body, the page that shows or acts on the same object, the object in 赣榆区)
OUTSIDE = [
    ("get", "/api/v1/persons/{pk}", None, "/talents/persons/{pk}/", _ganyu_person),
    ("get", "/api/v1/persons/by-digest/{pk}", None, None, _ganyu_digest),
    ("post", "/api/v1/persons/{pk}/reveal", _REVEAL, "/talents/persons/{pk}/reveal/", _ganyu_person),
    ("get", "/api/v1/certificates/{pk}", None, None, _ganyu_certificate),
    ("get", "/api/v1/organisations/{pk}", None, "/orgs/{pk}/", _ganyu_organisation),
    ("get", "/api/v1/carriers/{pk}", None, "/carriers/{pk}/", _ganyu_carrier),
    ("post", "/api/v1/evaluation/batches/{pk}/results", _RESULTS, "/evaluation/batches/{pk}/", _ganyu_batch),
]


def _call(client, method, path, body, token):
    headers = {"HTTP_AUTHORIZATION": "Bearer %s" % token}
    if method == "get":
        return client.get(path, **headers)
    return client.post(path, body, content_type="application/json", **headers)


@pytest.mark.parametrize(
    ("method", "api_path", "body", "page_path", "build"), OUTSIDE, ids=[o[1] for o in OUTSIDE]
)
def test_county_token_meets_another_regions_object_exactly_as_its_pages_do(
    client, personas, issue, method, api_path, body, page_path, build
):
    pk = build(personas)
    answer = _call(client, method, api_path.format(pk=pk), body, issue(personas.haizhou))
    assert answer.status_code == 404
    assert answer.json() == {"detail": "未找到该记录", "errors": []}
    assert AuditEntry.objects.filter(action="access.denied", user=personas.haizhou).count() == 1
    # The city reaches it through the API.
    assert _call(client, method, api_path.format(pk=pk), body, issue(personas.city)).status_code != 404
    if page_path:
        client.force_login(personas.haizhou)
        page = getattr(client, method)(page_path.format(pk=pk), body)
        assert page.status_code == 404


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/persons", "name"),
        ("/api/v1/certificates", "person_name"),
        ("/api/v1/organisations", "name"),
    ],
)
def test_county_token_lists_what_its_county_list_page_lists(client, personas, issue, bearer, path, field):
    token = issue(personas.haizhou)
    names = {row[field] for row in client.get(path, **bearer(token)).json()["items"]}
    assert names and not any("赣榆" in n for n in names)
    city = {row[field] for row in client.get(path, **bearer(issue(personas.city))).json()["items"]}
    assert any("赣榆" in n for n in city)


def test_a_filter_on_another_region_is_refused_as_on_the_page(client, personas, issue, bearer):
    answer = client.get("/api/v1/persons?region=320707", **bearer(issue(personas.haizhou)))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["region"]
    city = client.get("/api/v1/persons?region=320707", **bearer(issue(personas.city))).json()
    assert [p["name"] for p in city["items"]] == ["赣榆人员"]


def test_persons_are_masked_and_pages_follow_the_cursor(client, personas, issue, bearer):
    from gongjiang.talents.tests.factories import PersonFactory

    for _ in range(5):
        PersonFactory(region_id="320706")
    token = issue(personas.city)
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/v1/persons?limit=3" + ("&cursor=%s" % cursor if cursor else "")
        body = client.get(url, **bearer(token)).json()
        seen += [p["id"] for p in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    text = client.get("/api/v1/persons?limit=200", **bearer(token)).content.decode()
    assert personas.person_haizhou.id_number not in text
    assert personas.person_haizhou.id_masked in text
    bad = client.get("/api/v1/persons?cursor=abc", **bearer(token))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"


def test_lookup_by_full_id_and_by_digest_stay_within_scope(client, personas, issue, bearer):
    token = issue(personas.haizhou)
    mine, theirs = personas.person_haizhou, personas.person_ganyu
    found = client.post(
        "/api/v1/persons/lookup",
        {"id_number": mine.id_number},
        content_type="application/json",
        **bearer(token),
    )
    assert found.status_code == 200 and found.json()["id"] == mine.pk
    outside = client.post(
        "/api/v1/persons/lookup",
        {"id_number": theirs.id_number},
        content_type="application/json",
        **bearer(token),
    )
    assert outside.status_code == 404
    invalid = client.post(
        "/api/v1/persons/lookup", {"id_number": "123"}, content_type="application/json", **bearer(token)
    )
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "id_number"
    assert (
        client.get("/api/v1/persons/by-digest/%s" % mine.id_digest, **bearer(token)).json()["id"] == mine.pk
    )
    assert client.get("/api/v1/persons/by-digest/%s" % theirs.id_digest, **bearer(token)).status_code == 404


def test_reveal_is_the_pages_service_audited_the_same_way(client, personas, issue, bearer):
    person = personas.person_haizhou
    answer = client.post(
        "/api/v1/persons/%d/reveal" % person.pk,
        {"reason": "核对社保参保信息"},
        content_type="application/json",
        **bearer(issue(personas.haizhou)),
    )
    assert answer.status_code == 200
    assert answer.json() == {"id_number": person.id_number, "phone": person.phone}
    client.force_login(personas.haizhou)
    client.post("/talents/persons/%d/reveal/" % person.pk, {"reason": "核对社保参保信息"})
    reveals = list(AuditEntry.objects.filter(action="person.reveal").order_by("id"))
    assert len(reveals) == 2
    assert [(r.object_id, r.changes, r.user_id) for r in reveals] == [
        (str(person.pk), {"reason": "核对社保参保信息"}, personas.haizhou.pk)
    ] * 2
    # Without a reason, or without the permission (an organisation operator), nothing is shown.
    short = client.post(
        "/api/v1/persons/%d/reveal" % person.pk,
        {"reason": " "},
        content_type="application/json",
        **bearer(issue(personas.haizhou)),
    )
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "reason"
    org = client.post(
        "/api/v1/persons/%d/reveal" % person.pk,
        {"reason": "核对"},
        content_type="application/json",
        **bearer(issue(personas.org_operator)),
    )
    assert org.status_code == 404
    assert AuditEntry.objects.filter(action="person.reveal").count() == 2


def _command_json(*args) -> dict:
    out = io.StringIO()
    call_command("indicators", "--json", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_indicators_are_the_commands_json_within_scope(client, personas, issue, bearer):
    on = "2026-06-30"
    city = client.get("/api/v1/indicators?on=%s" % on, **bearer(issue(personas.city)))
    assert city.json() == _command_json("--on", on)
    county = client.get("/api/v1/indicators?on=%s" % on, **bearer(issue(personas.haizhou)))
    assert county.json() == _command_json("--on", on, "--region", "320706")
    assert county.json()["region"] == "320706"
    other = client.get("/api/v1/indicators?region=320707", **bearer(issue(personas.haizhou)))
    assert other.status_code == 404
    talent = client.get("/api/v1/indicators", **bearer(issue(personas.talent)))
    assert talent.status_code == 403
