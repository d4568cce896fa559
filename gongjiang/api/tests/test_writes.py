"""Writes: roster rows and a batch's results go through the one import pipeline (same checks and
reasons, all or nothing unless asked), and an Idempotency-Key makes a repeat write nothing."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from gongjiang.api.models import IdempotentAnswer
from gongjiang.common.demo import make_resident_id
from gongjiang.evaluation.models import Candidate
from gongjiang.evaluation.tests.factories import BatchFactory, FilingFactory
from gongjiang.jobs.models import Job
from gongjiang.talents.models import Person

pytestmark = pytest.mark.django_db

ROSTER = "/api/v1/roster"
_rng = random.Random(20_261_202)


def _row(**extra) -> dict:
    return {"name": "接口新人", "id_number": make_resident_id(_rng), "region": "320706", **extra}


def _post(client, path, body, token, **headers):
    return client.post(
        path, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer %s" % token, **headers
    )


def test_roster_rows_are_written_through_the_import_pipeline(client, personas, issue):
    token = issue(personas.haizhou)
    rows = [
        _row(
            cert_type="职业技能等级证书",
            level="高级工",
            cert_number="API-0001",
            issue_date="2026-03-01",
            issuer="测试评价机构",
        ),
        _row(name="接口新人乙"),
    ]
    answer = _post(client, ROSTER, {"rows": rows}, token)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["status"] == "succeeded"
    assert body["counts"]["persons_created"] == 2 and body["counts"]["certificates_created"] == 1
    job = Job.objects.get(pk=body["job_id"])
    assert (job.kind, job.user, job.mode) == ("roster", personas.haizhou, "commit")
    created = Person.objects.get(name="接口新人")
    assert created.region_id == "320706" and created.is_high_skilled


def test_one_bad_row_rejects_all_with_row_field_and_reason_in_chinese(client, personas, issue):
    token = issue(personas.haizhou)
    rows = [_row(), _row(id_number="320706199001011234"), _row(region="320707")]
    before = Person.objects.count()
    answer = _post(client, ROSTER, {"rows": rows}, token)
    assert answer.status_code == 422
    body = answer.json()
    assert "全部未写入" in body["detail"]
    assert sorted({e["row"] for e in body["errors"]}) == [2, 3]
    assert {e["field"] for e in body["errors"] if e["row"] == 2} == {"id_number"}
    assert all(e["reason"] for e in body["errors"])
    assert "320706199001011234" not in answer.content.decode()  # numbers in reasons are masked
    assert Person.objects.count() == before
    # Asked for it, the valid rows go in and the rest are listed.
    answer = _post(client, ROSTER, {"rows": rows, "valid_only": True}, token)
    assert answer.status_code == 200
    assert answer.json()["counts"]["persons_created"] == 1
    assert sorted({e["row"] for e in answer.json()["errors"]}) == [2, 3]
    assert Person.objects.count() == before + 1


def test_an_organisation_sends_its_own_staff_and_no_one_elses(client, personas, issue):
    token = issue(personas.org_operator)
    own = {"employer_name": personas.org_haizhou.name, "employer_uscc": personas.org_haizhou.uscc}
    answer = _post(client, ROSTER, {"rows": [_row(**own)]}, token)
    assert answer.status_code == 200, answer.content
    assert Person.objects.get(name="接口新人").employer == personas.org_haizhou
    other = {"employer_name": personas.org_ganyu.name, "employer_uscc": personas.org_ganyu.uscc}
    refused = _post(client, ROSTER, {"rows": [_row(name="接口外单位", region="320707", **other)]}, token)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["row"] == 1
    assert not Person.objects.filter(name="接口外单位").exists()


def test_a_dry_run_writes_nothing(client, personas, issue):
    answer = _post(client, ROSTER, {"rows": [_row()], "dry_run": True}, issue(personas.city))
    assert answer.status_code == 200 and answer.json()["status"] == "dry_run"
    assert not Person.objects.filter(name="接口新人").exists()


def test_a_malformed_body_names_the_row_and_field(client, personas, issue):
    answer = _post(client, ROSTER, {"rows": [_row(), {"name": "缺身份证号"}]}, issue(personas.city))
    assert answer.status_code == 422
    assert {"row": 2, "field": "id_number", "reason": "必填"} in answer.json()["errors"]
    assert answer.json()["detail"] == "请求内容有误"


def test_the_same_key_and_body_twice_write_once_and_answer_the_same(client, personas, issue):
    token = issue(personas.haizhou)
    body = {"rows": [_row()]}
    first = _post(client, ROSTER, body, token, HTTP_IDEMPOTENCY_KEY="k-1")
    second = _post(client, ROSTER, body, token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert Person.objects.filter(name="接口新人").count() == 1
    assert Job.objects.filter(kind="roster").count() == 1
    other = _post(client, ROSTER, {"rows": [_row()]}, token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409
    assert "幂等键" in other.json()["detail"]
    # A refused write is remembered too: the same refusal, and still nothing written.
    bad = {"rows": [_row(region="320707")]}
    assert _post(client, ROSTER, bad, token, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 422
    assert _post(client, ROSTER, bad, token, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 422
    assert Job.objects.filter(kind="roster").count() == 2


def test_keys_belong_to_their_token(client, personas, issue):
    body = {"rows": [_row()]}
    assert _post(client, ROSTER, body, issue(personas.city), HTTP_IDEMPOTENCY_KEY="same").status_code == 200
    again = _post(client, ROSTER, {"rows": [_row()]}, issue(personas.city), HTTP_IDEMPOTENCY_KEY="same")
    assert again.status_code == 200
    assert IdempotentAnswer.objects.count() == 2


def test_an_institution_reports_its_batch_results(client, personas, issue):
    filing = FilingFactory(organisation=personas.org_haizhou)
    batch = BatchFactory(filing=filing)
    person = personas.person_haizhou
    path = "/api/v1/evaluation/batches/%d/results" % batch.pk
    token = issue(personas.org_operator)
    rows = [{"id_number": person.id_number, "name": person.name, "result": "合格", "score": 88}]
    answer = _post(client, path, {"rows": rows}, token)
    assert answer.status_code == 200, answer.content
    assert answer.json()["counts"]["candidates_added"] == 1
    candidate = Candidate.objects.get(batch=batch)
    assert candidate.person == person and candidate.passed is True
    wrong = _post(client, path, {"rows": [{"id_number": "320706199001011234", "result": "合格"}]}, token)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "id_number"
    # Another institution's batch is out of scope: 404, as on its page.
    other = BatchFactory(filing=FilingFactory(organisation=personas.org_ganyu))
    outside = _post(client, "/api/v1/evaluation/batches/%d/results" % other.pk, {"rows": rows}, token)
    assert outside.status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_write_once(refdata):
    from gongjiang.api.services import api_token_create
    from gongjiang.common.testing import build_personas

    personas = build_personas()
    _issued, token = api_token_create(actor=personas.city, user=personas.haizhou)
    body = {"rows": [_row(), _row(name="接口新人乙")]}
    barrier = threading.Barrier(2)
    answers: list = []
    errors: list[str] = []

    def send():
        try:
            barrier.wait()
            answers.append(_post(Client(), ROSTER, body, token, HTTP_IDEMPOTENCY_KEY="together"))
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert Person.objects.filter(name__startswith="接口新人").count() == 2
    assert Job.objects.filter(kind="roster").count() == 1
    assert IdempotentAnswer.objects.get().status_code == 200
