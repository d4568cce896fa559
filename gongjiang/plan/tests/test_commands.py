"""The plan's commands and the cost of its pages."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjiang.plan.models import Supervision

from .factories import make_task

pytestmark = pytest.mark.django_db


def test_plan_daily_command_prints_json_and_raises_nothing_twice(personas):
    make_task(personas.city, owner=personas.department_org, milestones={})
    out = io.StringIO()
    call_command("plan_daily", "--on", "2027-01-16", stdout=out)
    first = json.loads(out.getvalue().strip().splitlines()[-1])
    assert first["overdue_reports"] == 1 and first["opened"] == 1  # 2027 Q1 opened too
    out = io.StringIO()
    call_command("plan_daily", "--on", "2027-01-16", stdout=out)
    again = json.loads(out.getvalue().strip().splitlines()[-1])
    assert again == {**again, "opened": 0, "overdue_reports": 0, "reminded": 0, "lagging_milestones": 0}
    assert Supervision.objects.count() == 1


def test_plan_load_command_loads_the_departments(personas):
    out = io.StringIO()
    call_command("plan_load", stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1]) == {
        "measures": 10,
        "responsibilities": 63,
    }  # 6+3+3+8+4+3+5+7+5+19


@pytest.mark.parametrize("url", ["/plan/", "/plan/tasks/", "/plan/?x=1"])
def test_plan_pages_do_not_query_per_task(client, personas, url):
    call_command("plan_load", stdout=io.StringIO())
    client.force_login(personas.city)
    make_task(personas.city, owner=personas.department_org, milestones={})
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(5):
        make_task(personas.city, owner=personas.department_org, title="任务%d" % i)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries][-10:]
