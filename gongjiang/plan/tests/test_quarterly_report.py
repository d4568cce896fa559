"""The dashboard's quarterly report (printable page and workbook) has a section per measure: tasks,
milestones met, overdue reports, funding executed."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from gongjiang.plan.models import FundingSource, Measure, ProgressReport
from gongjiang.plan.services import budget_set, spending_add

from .factories import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    task = make_task(
        personas.city,
        owner=personas.department_org,
        today=today,
        milestones={2026: ("比例达到80%", None), 2027: ("比例达到85%", None)},
    )
    task.milestones.filter(year=2026).update(due_on=yesterday, met_on=yesterday)
    ProgressReport.objects.filter(task=task).update(report_due=yesterday, due_on=yesterday)  # overdue
    make_task(personas.city, owner=personas.department_org, title="示范校建设", today=today, milestones={})
    source = FundingSource.objects.get(name="职业教育专项资金")
    measure = Measure.objects.get(number=2)
    budget_set(actor=personas.city, source=source, measure=measure, year=today.year, amount=Decimal("400000"))
    spending_add(
        actor=personas.city,
        source=source,
        measure=measure,
        spent_on=today,
        amount=Decimal("100000"),
        description="师资",
    )
    return task


def test_printable_report_has_a_row_per_measure(client, personas, plan):
    client.force_login(personas.city)
    response = client.get("/stats/report/")
    rows = {m.measure.number: m for m in response.context["board"].plan}
    assert len(rows) == 10
    two = rows[2]
    assert (two.tasks, two.milestones_due, two.milestones_met, two.overdue_reports) == (2, 1, 1, 1)
    assert (two.budget, two.spent, two.rate) == (Decimal("400000"), Decimal("100000"), 0.25)
    assert rows[4].tasks == 0
    html = response.content.decode()
    section = html.split('data-testid="report-plan-2"')[1].split("</tr>")[0]
    assert "25.0%" in section and "1 / 1" in section
    # the dashboard page itself does not compute it
    assert client.get("/stats/").context["board"].plan is None


def test_workbook_has_the_measures_sheet(client, personas, plan):
    client.force_login(personas.city)
    book = CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(client.get("/stats/report.xlsx").streaming_content))
    )
    sheet = book.get_sheet_by_name("部门任务（按措施）").to_python()
    assert sheet[0][:4] == ["措施", "任务数", "已完成任务", "逾期任务"]
    two = next(row for row in sheet[1:] if str(row[0]).startswith("二、"))
    assert [int(v) for v in two[1:8]] == [2, 0, 1, 1, 1, 1, 0]
    assert float(two[9]) == 100000 and float(two[10]) == pytest.approx(0.25)


def test_a_county_report_counts_only_the_tasks_naming_it(client, personas, plan):
    make_task(personas.city, measure=3, owner=personas.department_org, title="大培训", milestones={})
    client.force_login(personas.haizhou)
    rows = {m.measure.number: m for m in client.get("/stats/report/").context["board"].plan}
    assert rows[2].tasks == 2 and rows[3].tasks == 0
    assert rows[2].spent == 0  # counties do not read the funding
