"""The targets dashboard journey: the city admin opens 目标驾驶舱, sees every chart drawn, reads an
indicator's definition, clicks 赣榆区's bar and gets the list of exactly the persons counted
there; then opens the printable quarterly report and finds every section (also in print)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from gongjiang.stats.services import stats_refresh_all
from gongjiang.stats.tests.factories import build_crafted
from gongjiang.talents.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

CHARTS = ("cumulative", "regions", "levels", "domains")
BAR_CENTRE = """(el, label) => {
    const chart = echarts.getInstanceByDom(el);
    const option = chart.getOption();
    const i = option.xAxis[0].data.indexOf(label);
    const value = option.series[0].data[i];
    const top = chart.convertToPixel({seriesIndex: 0}, [i, value]);
    const base = chart.convertToPixel({seriesIndex: 0}, [i, 0]);
    return {x: top[0], y: (top[1] + base[1]) / 2, value: value};
}"""


@pytest.fixture
def dashboard_data(live_personas):
    crafted = build_crafted(actor=live_personas.city, crowd=30)
    stats_refresh_all()
    return crafted


def test_city_admin_clicks_a_region_bar_and_gets_exactly_the_counted_persons(page, log_in, dashboard_data):
    log_in("city")
    page.get_by_role("navigation").get_by_role("link", name="目标驾驶舱").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("目标驾驶舱")
    expect(page.get_by_test_id("as-of")).to_contain_text("数据截至")
    for name in CHARTS:
        chart = page.get_by_test_id(f"chart-{name}")
        expect(chart).to_have_attribute("data-ready", "1")
        expect(chart.locator("svg")).to_have_count(1)
    # No carrier counts toward the 20 in this data: the chart says so instead of drawing nothing.
    expect(page.get_by_test_id("chart-carriers")).to_have_text("暂无数据")
    expect(page.get_by_test_id("indicator-new_carriers").get_by_test_id("value")).to_have_text("0家")
    # No enterprise has two years of wage reports in this data: the card says so, no figure made up.
    expect(page.get_by_test_id("indicator-wage_growth").get_by_test_id("value")).to_have_text(
        "暂无可比较的工资报告"
    )

    # The definition (口径) of an indicator is its tooltip.
    page.get_by_test_id("indicator-new_high_skilled").get_by_test_id("definition").hover()
    expect(page.locator(".tooltip")).to_contain_text("专项职业能力证书不计")

    today = datetime.date.today()
    counted = Person.objects.filter(
        region_id="320707", high_skilled_since__gte=datetime.date(2026, 1, 1), high_skilled_since__lte=today
    )
    names = sorted(counted.values_list("name", flat=True))
    assert len(names) >= 3  # two_high, mover, appointed and the crowd's
    chart = page.get_by_test_id("chart-regions")
    expect(chart).to_have_attribute("data-ready", "1")  # drawn, animation finished
    bar = chart.evaluate(BAR_CENTRE, "赣榆区")
    assert bar["value"] == len(names)
    chart.click(position={"x": bar["x"], "y": bar["y"]})

    page.wait_for_url(re.compile(r"/talents/persons/\?.*region=320707"))
    expect(page.get_by_test_id("total")).to_have_text(f"共 {len(names)} 条")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(len(names))
    shown = sorted(rows.locator("td:first-child").all_inner_texts())
    assert shown == names
    expect(page.get_by_label("成为高技能人才日期起")).to_have_value("2026-01-01")


def test_printable_report_has_every_section_and_prints_on_a4(page, log_in, dashboard_data):
    log_in("city")
    page.goto("/stats/")
    page.get_by_role("link", name="季度报告").click()
    page.wait_for_url(re.compile(r"/stats/report/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("连云港市高技能人才工作进展报告")
    for section, heading in (
        ("report-summary", "一、总体情况"),
        ("report-indicators", "二、目标指标与进度"),
        ("report-charts", "三、图表"),
        ("report-tables", "四、分项统计"),
        ("report-plan", "五、十条措施落实情况（部门任务、进展报告、督办和资金）"),
        ("report-definitions", "六、指标口径"),
    ):
        expect(page.get_by_test_id(section).get_by_role("heading", level=2)).to_have_text(heading)
    expect(page.get_by_test_id("report-summary").locator("li").first).to_contain_text("新增高技能人才：")
    for name in CHARTS:
        expect(page.get_by_test_id(f"chart-{name}")).to_have_attribute("data-ready", "1")
    for table in (
        "table-regions",
        "table-region-quarters",
        "table-months",
        "table-domains",
        "table-occupations",
    ):
        expect(page.get_by_test_id(table)).to_be_visible()

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation")).to_be_hidden()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    expect(page.get_by_test_id("chart-regions").locator("svg")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_share_card_reads_no_status_until_the_official_total_is_entered_then_uses_it(
    page, log_in, dashboard_data, tmp_path
):
    log_in("city")
    page.goto("/stats/")
    card = page.get_by_test_id("indicator-high_skilled_share")
    expect(card.get_by_test_id("value")).to_have_text("未录入官方统计数")
    expect(card.get_by_test_id("status")).to_have_text("无官方数")
    expect(card.get_by_test_id("registry")).to_contain_text("库内口径")
    card.screenshot(path=str(tmp_path / "share-none.png"))

    page.get_by_role("link", name="官方统计数").click()
    page.get_by_label("县区").select_option(label="连云港市")
    page.get_by_label("年度").fill(str(datetime.date.today().year))
    page.get_by_label("技能劳动者总量（人）").fill("1000000")
    page.get_by_label("数据来源").fill("统计年报")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("official-totals")).to_contain_text("1,000,000")

    page.goto("/stats/")
    high = Person.objects.filter(is_high_skilled=True).count()
    skilled = Person.objects.exclude(highest_level=None).count()
    expect(card.get_by_test_id("value")).to_have_text(f"{high / 1_000_000 * 100:.1f}%")
    expect(card.get_by_test_id("official")).to_contain_text("技能劳动者 1,000,000（官方统计数）")
    expect(card.get_by_test_id("status")).to_contain_text("落后")
    expect(card.get_by_test_id("registry")).to_contain_text(f"库内口径 {high / skilled * 100:.1f}%")
    assert card.screenshot(path=str(tmp_path / "share-official.png")).startswith(b"\x89PNG")


def test_county_sees_no_city_goal_until_the_city_splits_it(
    page, log_in, switch_user, dashboard_data, tmp_path
):
    log_in("haizhou")
    page.goto("/stats/")
    card = page.get_by_test_id("indicator-new_carriers")
    expect(card).to_contain_text("目标 —")
    expect(card).to_contain_text("尚未分解到本县区")
    expect(card.get_by_test_id("status")).to_have_count(0)

    switch_user("city")
    page.goto("/stats/")
    page.get_by_role("link", name="目标分解").click()
    page.get_by_label("指标").select_option(label="新建市级以上培养载体（家）")
    page.get_by_label("县区").select_option(label="海州区")
    page.get_by_label("分解目标").fill("4")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存海州区的新建市级以上培养载体（家）分解目标")
    expect(page.get_by_test_id("target-splits")).to_contain_text("海州区")

    switch_user("haizhou")
    page.goto("/stats/")
    expect(card).to_contain_text("目标 4家")
    expect(card.get_by_test_id("status")).to_be_visible()
    assert card.screenshot(path=str(tmp_path / "county-carriers.png")).startswith(b"\x89PNG")
