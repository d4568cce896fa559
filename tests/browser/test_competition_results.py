"""The competition journey: the city registers a 市状元大赛 and an event, imports its results from an
xlsx through the one import pipeline, publishes them; the winner's page shows the title and the
promotion, the talent sees them on their own page, and the dashboard counts the promotion."""

import re

import pytest
from playwright.sync_api import expect

from gongjiang.competitions.models import Event
from gongjiang.competitions.tests.factories import competitor
from gongjiang.jobs.tests.helpers import write_xlsx
from gongjiang.talents.models import Certificate

pytestmark = pytest.mark.django_db(transaction=True)


def test_city_imports_and_publishes_results_winner_and_dashboard_show_them(
    page, log_in, switch_user, live_personas, honours_data, worker, tmp_path
):
    winner = live_personas.person_haizhou  # the talent persona, 高级工
    runner_up = competitor(level="GRADE4", region_id="320706", name="赵晓峰")

    log_in("city")
    page.get_by_role("navigation").get_by_role("link", name="竞赛与表彰").click()
    page.get_by_role("link", name="新增").click()
    page.get_by_label("竞赛名称").fill("2026年连云港技能状元大赛")
    page.get_by_label("竞赛类别").select_option(label="市状元大赛（连云港技能状元大赛）")
    page.get_by_label("年度").fill("2026")
    page.get_by_label("主办单位").fill("连云港市人力资源和社会保障局")
    page.get_by_label("举办日期").fill("2026-05-20")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="新增比赛项目").click()
    page.get_by_label("项目名称").fill("焊工")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/competitions/events/\d+/$"))
    event = Event.objects.get(name="焊工")
    expect(page.get_by_role("heading", level=1)).to_contain_text(event.code)

    rows = [
        [event.code, winner.id_number, winner.name, 1, "一等奖"],
        [event.code, runner_up.id_number, "", 2, "二等奖"],
    ]
    path = write_xlsx(
        tmp_path / "状元大赛成绩.xlsx", rows, headers=["项目编号", "身份证号", "姓名", "名次", "奖项"]
    )
    page.get_by_role("link", name="导入导出 · 竞赛成绩").click()
    page.get_by_label("数据种类").select_option(label="竞赛成绩")
    page.get_by_label("文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并试导入").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_test_id("job-percent")).to_have_text("100%", timeout=60_000)
    expect(page.get_by_test_id("job-results").locator("tr[data-key=results_added] td")).to_have_text("2")
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("job-message")).to_contain_text("导入完成", timeout=60_000)

    page.goto("/competitions/events/%d/" % event.pk)
    expect(page.get_by_test_id("results")).to_contain_text("待公布")
    page.get_by_test_id("publish").click()
    expect(page.get_by_role("alert")).to_contain_text("已公布2条成绩：授予称号2项，颁发晋升证书2张")
    expect(page.get_by_test_id("event-status")).to_have_text("已公布")
    certificate = Certificate.objects.get(person=winner, source="competition")
    expect(page.get_by_test_id("results")).to_contain_text(certificate.number)

    # The winner's page: the title, the promotion and the new certificate.
    page.get_by_test_id("results").get_by_role("link", name=winner.name).click()
    expect(page.get_by_test_id("honours")).to_contain_text("连云港技能状元")
    expect(page.get_by_test_id("promotion")).to_contain_text("晋升一级：技师")
    expect(page.get_by_test_id("highest-level")).to_have_text("技师")
    expect(page.get_by_test_id("timeline-item").filter(has_text=certificate.number)).to_contain_text(
        "竞赛晋升"
    )

    # The dashboard counts both promotions in the competitions card.
    page.get_by_role("navigation").get_by_role("link", name="目标驾驶舱").click()
    table = page.get_by_test_id("table-competitions")
    expect(table).to_contain_text("市状元大赛")
    expect(table.get_by_test_id("promoted")).to_have_text("2")
    expect(page.get_by_test_id("chart-competitions")).to_have_attribute("data-ready", "1")

    # The talent sees the title on their own page, at a phone's width.
    switch_user("talent")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/me/")
    expect(page.get_by_test_id("honours")).to_contain_text("连云港技能状元")
    expect(page.get_by_test_id("promotion")).to_contain_text("晋升一级：技师")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
