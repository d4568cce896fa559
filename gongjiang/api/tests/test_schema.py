"""The API fuzzed from its own OpenAPI document (schemathesis, stateless): with a city token and
with a county token, no operation answers 500 or a status it does not document, and every answer
matches the schema it declares.
Examples per operation are bounded so the whole run stays well under a minute."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from gongjiang.api.api import api

pytestmark = pytest.mark.django_db

EXAMPLES = 10


@pytest.fixture
def wsgi_app(settings):
    """Django's WSGI handler, kept from closing the test's connection after each request (as
    Django's own test client does)."""
    settings.GONGJIANG_API_CALLS_PER_MINUTE = 100_000
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema():
    return schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))


def _operations():
    return [result.ok() for result in _schema().get_all_operations()]


def _fuzz(operation, *, token: str, app, seen: dict[str, set[int]]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(app=app, headers={"Authorization": "Bearer %s" % token})
        seen.setdefault(operation.label, set()).add(response.status_code)
        case.validate_response(
            response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
        )

    check()


@pytest.mark.parametrize("who", ["city", "haizhou"])
def test_every_operation_answers_by_its_schema_and_never_500(personas, issue, wsgi_app, who):
    token = issue(getattr(personas, who))
    operations = _operations()
    assert len(operations) >= 15
    seen: dict[str, set[int]] = {}

    for operation in operations:
        _fuzz(operation, token=token, app=wsgi_app, seen=seen)
    # The fuzzing reached past authentication: most operations answered something other than 401.
    assert sum(1 for codes in seen.values() if codes - {401}) == len(seen)
