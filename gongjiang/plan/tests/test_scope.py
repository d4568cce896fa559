"""Scope: a department sees and edits only its own tasks and reports; the city sees all; a county
sees the tasks that name the counties and 功能板块."""

import pytest
from django.core.exceptions import PermissionDenied

from gongjiang.accounts.choices import Role
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.plan.models import ProgressReport, Task
from gongjiang.plan.selectors import plan_matrix, task_list
from gongjiang.plan.services import measures_load, report_submit

from .factories import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas):
    """市教育局 (the edu persona) owns a measure-二 task and supports a measure-三 task of 市人社局,
    which also owns a measure-五 task that does not involve 市教育局."""
    from gongjiang.orgs.models import Organisation

    measures_load(actor=personas.city)
    hrss = Organisation.objects.get(name="连云港市人力资源和社会保障局")
    hrss_user = UserFactory(username="hrss", role=Role.DEPARTMENT, organisation=hrss)
    edu = personas.department_org
    own = make_task(personas.city, measure=2, owner=edu, supporting=[hrss], title="教师企业实践")
    supported = make_task(personas.city, measure=3, owner=hrss, supporting=[edu], title="大培训格局")
    foreign = make_task(personas.city, measure=5, owner=hrss, title="企业自主评价")
    return {"own": own, "supported": supported, "foreign": foreign, "hrss": hrss_user}


def test_department_sees_the_tasks_it_takes_part_in_and_reports_only_its_own(personas, plan):
    assert set(task_list(user=personas.department)) == {plan["own"], plan["supported"]}
    reports = ProgressReport.objects.for_user(personas.department)
    assert {r.task for r in reports} == {plan["own"]}
    assert {r.task for r in ProgressReport.objects.for_user(personas.department, "change")} == {plan["own"]}


def test_department_cannot_hand_in_another_departments_report(personas, plan):
    theirs = ProgressReport.objects.get(task=plan["supported"])
    with pytest.raises(PermissionDenied):
        report_submit(actor=personas.department, report=theirs, text="越权报送")
    theirs.refresh_from_db()
    assert theirs.status == "due" and theirs.text == ""


def test_department_edits_only_the_tasks_it_owns_and_creates_none(personas, plan):
    from gongjiang.plan.services import task_update

    def edit(user, task):
        return task_update(
            actor=user,
            task=task,
            description="细化",
            target="",
            target_value=None,
            evidence="",
            milestones={},
        )

    assert edit(personas.department, plan["own"]).description == "细化"
    with pytest.raises(PermissionDenied):
        edit(personas.department, plan["supported"])
    with pytest.raises(PermissionDenied):
        edit(personas.department, plan["foreign"])
    with pytest.raises(PermissionDenied):
        edit(personas.haizhou, plan["own"])
    assert Task.objects.get(pk=plan["supported"].pk).description == ""
    with pytest.raises(PermissionDenied):
        make_task(personas.department, owner=personas.department_org)


@pytest.mark.parametrize("key, status", [("own", 200), ("supported", 404), ("foreign", 404)])
def test_task_edit_page_only_for_the_owner_department(client, personas, plan, key, status):
    client.force_login(personas.department)
    assert client.get("/plan/tasks/%d/edit/" % plan[key].pk).status_code == status


def test_city_sees_every_task_and_report(personas, plan):
    assert task_list(user=personas.city).count() == 3
    assert ProgressReport.objects.for_user(personas.city).count() == 3


def test_county_sees_the_tasks_that_name_the_counties(personas, plan):
    # measure 二 names 各县区人民政府、功能板块管委会; measures 三 and 五 do not
    assert list(task_list(user=personas.haizhou)) == [plan["own"]]
    assert list(task_list(user=personas.ganyu)) == [plan["own"]]
    assert not ProgressReport.objects.for_user(personas.haizhou, "change").exists()
    assert not Task.objects.for_user(personas.org_operator).exists()
    assert not Task.objects.for_user(personas.talent).exists()


@pytest.mark.parametrize("key, status", [("own", 200), ("supported", 200), ("foreign", 404)])
def test_task_page_inside_and_outside_a_departments_scope(client, personas, plan, key, status):
    client.force_login(personas.department)
    assert client.get("/plan/tasks/%d/" % plan[key].pk).status_code == status


def test_report_page_of_a_supported_task_is_out_of_scope(client, personas, plan):
    client.force_login(personas.department)
    theirs = ProgressReport.objects.get(task=plan["supported"])
    assert client.get("/plan/reports/%d/" % theirs.pk).status_code == 404
    response = client.post("/plan/reports/%d/" % theirs.pk, {"text": "越权"})
    assert response.status_code == 404


def test_department_matrix_shows_its_own_row_only(personas, plan):
    import datetime

    _, rows = plan_matrix(user=personas.department, today=datetime.date(2026, 11, 20))
    assert [r.label for r in rows] == ["市教育局"]
    cells = {c.measure.number: c for c in rows[0].cells}
    assert (cells[2].role, cells[2].count, cells[2].state) == ("牵头", 1, "on_track")
    assert (cells[3].role, cells[3].count) == ("配合", 1)
    assert (cells[5].role, cells[5].count, cells[5].state) == ("配合", 0, "none")  # named, no task it sees
    assert cells[6].state == ""  # not named in measure 六
    _, city_rows = plan_matrix(user=personas.city, today=datetime.date(2026, 11, 20))
    assert len(city_rows) == 26  # 25 departments and the counties' row


def test_a_matrix_cell_opens_exactly_its_tasks(client, personas, plan):
    import datetime

    _, rows = plan_matrix(user=personas.city, today=datetime.date(2026, 11, 20))
    edu = next(r for r in rows if r.label == "市教育局")
    counties = next(r for r in rows if r.label.startswith("各县区"))
    client.force_login(personas.city)
    for cell, expected in ((edu.cells[2], {plan["supported"]}), (counties.cells[1], {plan["own"]})):
        listed = client.get(cell.url).context["table"].data.data
        assert set(listed) == expected, cell.url
