"""The one to-do list: exactly the items waiting on a user, across workflows, within scope, with
overdue ones marked; and the page and the navigation badge that show it."""

import datetime

import pytest

from gongjiang.carriers.choices import CarrierStatus
from gongjiang.carriers.tests.factories import CarrierFactory
from gongjiang.evaluation.choices import BatchStatus, FilingStatus
from gongjiang.evaluation.tests.factories import BatchFactory, FilingFactory
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.workflow.selectors import todo_counts, todo_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def world(personas):
    """One item of each waiting kind, in 海州 unless named otherwise; due dates around TODAY."""
    ganyu_org = personas.org_ganyu
    day = datetime.timedelta(days=1)
    return {
        "county_haizhou": CarrierFactory(host=personas.org_haizhou, due_on=TODAY - day, name="海州待初审"),
        "county_ganyu": CarrierFactory(host=ganyu_org, due_on=TODAY + day, name="赣榆待初审"),
        "county_own": CarrierFactory(
            host=personas.org_haizhou, declared_by=personas.haizhou, due_on=TODAY, name="海州本人申报"
        ),
        "city": CarrierFactory(host=ganyu_org, status=CarrierStatus.CITY_REVIEW, due_on=TODAY, name="待市级"),
        "returned": CarrierFactory(
            host=personas.org_haizhou,
            status=CarrierStatus.RETURNED,
            returned_from=CarrierStatus.COUNTY_REVIEW,
            due_on=TODAY - 3 * day,
            name="海州退回",
        ),
        "filing": FilingFactory(
            organisation=personas.org_haizhou,
            status=FilingStatus.SUBMITTED,
            submitted_by=personas.org_operator,
            due_on=TODAY + day,
        ),
        "filing_returned": FilingFactory(
            organisation=personas.org_haizhou,
            status=FilingStatus.REJECTED,
            submitted_by=personas.org_operator,
        ),
        "batch_reported": BatchFactory(
            filing=FilingFactory(organisation=OrganisationFactory(region_id="320707")),
            status=BatchStatus.REPORTED,
            due_on=TODAY - day,
        ),
        "recognised": CarrierFactory(host=personas.org_haizhou, status=CarrierStatus.RECOGNISED, due_on=None),
    }


def waiting(user):
    return {
        (item.workflow.key, item.obj.pk, item.task, item.overdue) for item in todo_for(user=user, today=TODAY)
    }


def test_each_user_sees_exactly_what_waits_on_them(personas, world):
    w = world
    assert waiting(personas.haizhou) == {("carrier", w["county_haizhou"].pk, "县区初审", True)}
    assert waiting(personas.ganyu) == {("carrier", w["county_ganyu"].pk, "县区初审", False)}
    assert waiting(personas.org_operator) == {
        ("carrier", w["returned"].pk, "补正后重新提交", True),
        ("filing", w["filing_returned"].pk, "补正后重新提交", False),
    }
    assert waiting(personas.city) == {
        ("carrier", w["city"].pk, "市级评审", False),
        ("filing", w["filing"].pk, "备案审核", False),
        ("batch", w["batch_reported"].pk, "认定结果审核", True),
    }
    assert waiting(personas.department) == set()
    assert waiting(personas.talent) == set()


def test_overdue_items_come_first_and_are_counted(personas, world):
    items = todo_for(user=personas.city, today=TODAY)
    assert items[0].obj == world["batch_reported"]
    assert items[0].overdue_days == 1
    assert todo_counts(user=personas.org_operator, today=TODAY) == (2, 1)


def test_the_page_lists_them_and_marks_overdue(personas, world, login):
    page = login(personas.org_operator).get("/todo/").content.decode()
    assert "海州退回" in page and "补正后重新提交" in page
    assert "逾期" in page
    assert "赣榆待初审" not in page
    badge = login(personas.city).get("/todo/badge/").content.decode()
    assert 'data-testid="todo-badge"' in badge and ">3" in badge
