"""The plan's pages as each side uses them."""

import datetime
from decimal import Decimal

import pytest

from gongjiang.plan.models import Budget, FundingSource, Milestone, ProgressReport, Task
from gongjiang.plan.services import measures_load

from .factories import make_task

pytestmark = pytest.mark.django_db


def test_city_creates_a_task_with_milestones_through_the_form(client, personas):
    measures_load(actor=personas.city)
    from gongjiang.orgs.models import Organisation

    hrss = Organisation.objects.get(name="连云港市人力资源和社会保障局")
    client.force_login(personas.city)
    response = client.post(
        "/plan/tasks/new/",
        {
            "measure": 2,
            "title": "教师企业实践制度落实",
            "owner": personas.department_org.pk,
            "supporting": [hrss.pk],
            "indicator": "teacher_share",
            "target": "专业课教师每年企业实践不少于1个月",
            "evidence": "实践记录",
            "milestone_2026": "制定实施办法",
            "milestone_2028": "全面落实",
            "value_2028": "1",
        },
    )
    task = Task.objects.get(title="教师企业实践制度落实")
    assert response.status_code == 302 and response["Location"] == "/plan/tasks/%d/" % task.pk
    assert set(task.departments.all()) == {personas.department_org, hrss}
    assert list(Milestone.objects.filter(task=task).values_list("year", "due_on")) == [
        (2026, datetime.date(2026, 12, 31)),
        (2028, datetime.date(2028, 12, 31)),
    ]
    assert task.regions.count() > 0  # measure 二 names the counties
    assert ProgressReport.objects.filter(task=task, department=personas.department_org).count() == 1
    page = client.get("/plan/tasks/%d/" % task.pk).content.decode()
    assert "专业课教师高级证书比例" in page and "制定实施办法" in page and "驾驶舱" in page


def test_a_department_is_offered_the_report_form_only_for_its_own_report(client, personas):
    task = make_task(personas.city, owner=personas.department_org)
    report = ProgressReport.objects.get(task=task)
    client.force_login(personas.department)
    page = client.get("/plan/reports/%d/" % report.pk).content.decode()
    assert 'data-testid="report-form"' in page and "比例达到80%" in page  # the milestone to pick
    client.force_login(personas.city)
    page = client.get("/plan/reports/%d/" % report.pk).content.decode()
    assert 'data-testid="report-form"' not in page and 'data-testid="actions"' not in page


def test_an_empty_report_is_refused_at_the_field(client, personas):
    task = make_task(personas.city, owner=personas.department_org)
    report = ProgressReport.objects.get(task=task)
    client.force_login(personas.department)
    response = client.post("/plan/reports/%d/" % report.pk, {"text": ""})
    assert response.status_code == 422
    report.refresh_from_db()
    assert report.status == "due"


def test_department_matrix_lists_what_it_must_do_next(client, personas):
    measures_load(actor=personas.city)
    task = make_task(personas.city, owner=personas.department_org)
    client.force_login(personas.department)
    response = client.get("/plan/")
    html = response.content.decode()
    assert 'data-testid="next-steps"' in html and task.title in html
    assert [r.label for r in response.context["rows"]] == ["市教育局"]


def test_city_sets_a_budget_and_sees_the_execution_chart(client, personas):
    client.force_login(personas.city)
    source = FundingSource.objects.get(name="就业补助资金")
    response = client.post(
        "/plan/funding/budget/", {"source": source.pk, "measure": 4, "year": 2026, "amount": "500000"}
    )
    assert response.status_code == 302
    assert Budget.objects.get().amount == Decimal("500000")
    page = client.get("/plan/funding/?year=2026").content.decode()
    assert 'id="funding-chart"' in page and "500000.00" in page


def test_owner_department_refines_milestones_and_a_met_one_stays(client, personas):
    task = make_task(personas.city, owner=personas.department_org, milestones={2026: ("比例达到80%", None)})
    task.milestones.filter(year=2026).update(met_on=datetime.date(2026, 11, 1))
    client.force_login(personas.department)
    response = client.post(
        "/plan/tasks/%d/edit/" % task.pk,
        {
            "description": "分学校推进",
            "evidence": "证书清单",
            "milestone_2027": "比例达到85%",
            "value_2027": "0.85",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.description == "分学校推进"
    assert list(task.milestones.values_list("year", "description", "met_on")) == [
        (2026, "比例达到80%", datetime.date(2026, 11, 1)),
        (2027, "比例达到85%", None),
    ]
