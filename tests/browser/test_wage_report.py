"""The wage report journey (措施七): the city sees the dashboard's 技能人才工资增幅 card; the ``org``
enterprise files this year's wage report (a slip is refused with its reason first); the city's
card changes and its drill-down lists that enterprise."""

import re

import pytest
from playwright.sync_api import expect

from gongjiang.core.validators import local_today

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page) -> None:
    """No horizontal scrolling of the page or of a table in it (as tests/browser/test_page_widths.py)."""
    widths = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
                  tables: [...document.querySelectorAll('.table-responsive')].map(t => [t.scrollWidth, t.clientWidth])})"""
    )
    assert widths["page"] <= widths["view"], widths
    for scroll, client in widths["tables"]:
        assert scroll <= client + 1, widths


@pytest.fixture
def wage_data(live_personas):
    """Jiangsu's minimum wages (a transactional flush removes them) and last year's and this year's
    reports of three enterprises (two comply, one falls short), plus last year's of the ``org`` one."""
    from django.apps import apps

    from gongjiang.orgs.tests.factories import OrganisationFactory, wage_report
    from gongjiang.orgs.wages import load_minimum_wages

    load_minimum_wages(apps)
    year = local_today().year
    for name, skilled in (
        ("瀚屿装备有限公司", 90000),
        ("澄川新材料有限公司", 88000),
        ("岚舟港务有限公司", 82000),
    ):
        org = OrganisationFactory(name=name, region_id="320707")
        wage_report(org, year - 1, staff=80000, skilled=80000)
        wage_report(org, year, staff=84000, skilled=skilled)  # staff +5%; skilled +12.5%, +10%, +2.5%
    wage_report(live_personas.org_haizhou, year - 1, staff=90000, skilled=85000)
    return live_personas


def test_an_enterprise_files_its_wage_report_and_the_city_card_counts_it(
    page, log_in, switch_user, wage_data
):
    year = local_today().year
    card = page.get_by_test_id("indicator-wage_growth")

    log_in("city")
    page.goto("/stats/")
    expect(card.get_by_test_id("value")).to_have_text("66.7%")  # 2 of 3 comparable enterprises

    switch_user("org")
    page.get_by_role("navigation").get_by_role("link", name="工资报送").click()
    page.get_by_role("link", name="新增").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(wage_data.org_haizhou.name)
    expect(page.get_by_label("年度")).to_have_value(str(year))
    page.get_by_label(re.compile("^职工人数")).fill("150")
    page.get_by_label("职工人均年工资（元）").fill("94500")  # +5%
    page.get_by_label(re.compile("^技能人才人数")).fill("90")
    page.get_by_label("技能人才人均年工资（元）", exact=True).fill("91800")  # +8%
    page.get_by_label(re.compile("^高技能人才人数")).fill("95")  # a slip: more than the skilled workers
    page.get_by_label("高技能人才人均年工资（元）").fill("105000")
    page.get_by_label("已建立企业年金").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("高技能人才人数不能多于技能人才人数")).to_be_visible()

    page.get_by_label(re.compile("^高技能人才人数")).fill("30")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("%d年度工资情况" % year)
    expect(page.get_by_test_id("complies")).to_have_text("技能人才工资增幅达标")
    expect(page.get_by_test_id("growth")).to_contain_text("+8.0%")

    switch_user("city")
    page.goto("/stats/")
    expect(card.get_by_test_id("value")).to_have_text("75.0%")  # now 3 of 4
    expect(card.get_by_test_id("wage-parts")).to_contain_text("%d年度" % year)
    card.get_by_test_id("value").get_by_role("link").click()
    expect(page.get_by_test_id("drill-banner")).to_contain_text("75.0%")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("table tbody")).to_contain_text(wage_data.org_haizhou.name)
    mine = rows.filter(has_text=wage_data.org_haizhou.name)
    expect(mine.get_by_test_id("complies")).to_have_text("达标")
    page.set_viewport_size({"width": 1440, "height": 900})  # a staff page fits a staff screen
    fits(page)


def test_the_city_reads_compliance_by_county_and_draws_a_sample(page, log_in, wage_data):
    from gongjiang.orgs.tests.factories import OrganisationFactory, wage_report

    year = local_today().year
    short = OrganisationFactory(name="屿帆船务有限公司", region_id="320706", is_state_owned=True)
    wage_report(short, year - 1, staff=80000, skilled=80000)
    wage_report(short, year, staff=88000, skilled=81000)
    log_in("city")
    page.get_by_role("navigation").get_by_role("link", name="工资报送").click()
    page.get_by_role("link", name="增幅达标情况").click()
    chart = page.get_by_test_id("chart-wages")
    expect(chart).to_have_attribute("data-ready", "1")
    expect(chart.locator("svg")).to_have_count(1)
    expect(page.get_by_test_id("compliance-state_owned").get_by_test_id("share")).to_have_text("0.0%")
    expect(page.get_by_test_id("compliance-region-320707").get_by_test_id("share")).to_have_text("66.7%")
    page.set_viewport_size({"width": 1440, "height": 900})
    fits(page)

    page.get_by_test_id("sample-form").get_by_role("spinbutton").fill("1")
    page.get_by_role("button", name="抽取").click()
    expect(page.get_by_test_id("sample-record")).to_contain_text("未达标企业数")
    seed = page.get_by_test_id("seed").inner_text()
    assert seed.isdigit()
    expect(page.locator("table tbody tr")).to_have_count(1)
