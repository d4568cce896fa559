"""The plan, in the browser: 市教育局 (the ``edu`` account) reports a quarter's progress on a
measure-二 task with an attachment, the city returns it for 补正, ``edu`` resubmits, the city
accepts, and the matrix cell of 市教育局 × 措施二 turns from red (overdue) to green."""

import datetime
import importlib

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CELL = "cell-市教育局-2"


@pytest.fixture
def plan_task(live_personas):
    """The measures and their departments (a transactional flush removed the migration's rows), and
    a measure-二 task of 市教育局 whose quarter's report was due yesterday."""
    from django.apps import apps
    from django.utils import timezone

    from gongjiang.plan.models import ProgressReport
    from gongjiang.plan.services import measures_load
    from gongjiang.plan.tests.factories import make_task

    importlib.import_module("gongjiang.plan.migrations.0002_deadlines_and_sources").load(apps, None)
    measures_load(actor=None)
    today = timezone.localdate()
    task = make_task(live_personas.city, owner=live_personas.department_org, today=today, milestones={})
    yesterday = today - datetime.timedelta(days=1)
    ProgressReport.objects.filter(task=task).update(report_due=yesterday, due_on=yesterday)
    return task


def _cell(page):
    page.goto("/plan/")
    return page.get_by_test_id(CELL)


def test_edu_reports_city_returns_edu_resubmits_city_accepts_cell_turns_green(
    page, log_in, switch_user, plan_task, tmp_path
):
    evidence = tmp_path / "教师认定名单.pdf"
    evidence.write_bytes(PDF)

    # 1. 市教育局 sees its own row only, the cell red, and what it must do next.
    log_in("edu")
    cell = _cell(page)
    expect(cell).to_have_attribute("data-state", "overdue")
    expect(cell).to_contain_text("逾期")
    expect(page.get_by_test_id("matrix").locator("tbody tr")).to_have_count(1)
    next_steps = page.get_by_test_id("next-steps")
    expect(next_steps).to_contain_text("请于")
    next_steps.get_by_role("link", name="专业课教师高级证书比例达到90%").click()

    # 2. It reports the quarter, with the evidence attached.
    page.get_by_label("本季度工作进展").fill("组织120名专业课教师参加高级工认定，通过98人。")
    page.get_by_label("本期数据").fill("0.82")
    page.get_by_label("附件").set_input_files(str(evidence))
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_role("alert")).to_contain_text("进展报告已报送")
    expect(page.get_by_test_id("status")).to_have_text("待市级审核")
    expect(page.get_by_test_id("attachments")).to_contain_text("教师认定名单.pdf")
    report_url = page.url

    # 3. The city returns it for 补正; the cell is no longer green.
    switch_user("city")
    page.goto(report_url)
    page.get_by_label("需要补正的内容").fill("请附上认定人员名单（盖章版）")
    page.get_by_test_id("step-return").get_by_role("button", name="退回补正").click()
    expect(page.get_by_test_id("status")).to_have_text("退回补正")
    expect(_cell(page)).to_have_attribute("data-state", "lagging")

    # 4. 市教育局 corrects and hands it in again: it goes straight back to the city's review.
    switch_user("edu")
    page.goto(report_url)
    expect(page.get_by_test_id("status-reason")).to_contain_text("盖章版")
    page.get_by_label("本季度工作进展").fill("已补充盖章版认定人员名单。")
    page.get_by_label("附件").set_input_files(str(evidence))
    page.get_by_role("button", name="补正后重新报送").click()
    expect(page.get_by_test_id("status")).to_have_text("待市级审核")

    # 5. The city accepts; the cell turns green.
    switch_user("city")
    page.goto(report_url)
    page.get_by_test_id("step-accept").get_by_role("button", name="审核采纳").click()
    expect(page.get_by_test_id("status")).to_have_text("已采纳")
    cell = _cell(page)
    expect(cell).to_have_attribute("data-state", "on_track")
    expect(cell).to_have_class("text-center table-success")
    expect(cell).to_contain_text("正常推进")
    colour = cell.evaluate("el => getComputedStyle(el).backgroundColor")
    red, green, blue = (int(v) for v in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3])
    assert green > red and green > blue, colour
