"""The README's curl examples call operations that the OpenAPI document describes."""

import pathlib
import re

import pytest

pytestmark = pytest.mark.django_db

README = pathlib.Path(__file__).resolve().parents[3] / "README.md"


def _matches(path: str, template: str) -> bool:
    pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
    return re.match(pattern, path) is not None


def test_every_curl_example_names_a_documented_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    calls = re.findall(r'"\$H(/api/v1/[^"?]+)', README.read_text())
    assert len(calls) >= 12
    for call in calls:
        assert any(_matches(call, template) for template in schema["paths"]), call
