"""The nomination journey: an organisation nominates a member of its staff (the record attached, the
checks shown), the city puts it to 公示 and records an objection; the county sees its own figures."""

import datetime

import pytest
from playwright.sync_api import expect

from gongjiang.honours.tests.factories import SelectionRoundFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_organisation_nominates_city_puts_to_publicity_county_sees_its_share(
    page, log_in, switch_user, live_personas, honours_data
):
    rnd = SelectionRoundFactory(title_id="may_day_medal", name="2026年市五一劳动奖章评选")
    person = live_personas.person_haizhou

    log_in("org")
    page.get_by_role("navigation").get_by_role("link", name="竞赛与表彰").click()
    page.get_by_role("link", name="表彰与人才项目").click()
    page.get_by_role("link", name=rnd.name).click()
    page.get_by_test_id("nominate").click()
    page.get_by_label("被推荐人身份证号").fill(live_personas.person_ganyu.id_number)
    page.get_by_label("任现职起始日期").fill("2016-03-01")
    page.get_by_label("主要事迹").fill("带领班组完成焊接工艺革新。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("不在您的数据范围内")).to_be_visible()
    page.get_by_label("被推荐人身份证号").fill(person.id_number)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("推荐已提交")
    expect(page.get_by_test_id("status")).to_have_text("待市级审核")
    today = datetime.date.today()
    years = today.year - 2016 - ((today.month, today.day) < (3, 1))
    expect(page.get_by_test_id("checks")).to_contain_text("任现职%d年，要求至少3年" % years)
    expect(page.get_by_test_id("record")).to_contain_text("高级工")
    expect(page.get_by_role("button", name="审核通过，列入公示")).to_have_count(0)
    detail = page.url

    switch_user("city")
    page.goto(detail)
    page.get_by_role("button", name="审核通过，列入公示").click()
    expect(page.get_by_test_id("status")).to_have_text("公示中")
    page.get_by_text("记录公示异议", exact=True).click()
    page.get_by_label("记录公示异议：异议内容").fill("有群众反映其事迹材料需核实")
    page.get_by_role("button", name="确认记录公示异议").click()
    expect(page.get_by_test_id("objections")).to_have_text("1 条")
    expect(page.locator("main")).to_contain_text("有群众反映其事迹材料需核实")

    switch_user("haizhou")
    page.goto("/honours/")
    table = page.get_by_test_id("shares")
    expect(table).to_contain_text(rnd.name)
    expect(table.locator("tbody tr").first.locator("td").nth(1)).to_have_text("1")
    expect(page.get_by_test_id("chart-honours")).to_have_attribute("data-ready", "1")
