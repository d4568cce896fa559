"""A provider publishes a course and a class; the public finds it on a phone (375×812, no sideways
scrolling); the provider claims the training subsidy for five trainees, two of them ineligible, and
sees exactly those two refused, each with its reason."""

import datetime
import importlib

import pytest
from playwright.sync_api import expect

from gongjiang.core.crypto import decrypt
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

NO_OVERFLOW = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def subsidy_table(refdata):
    """The seeded subsidy table and deadlines (a transactional flush removes migration-loaded rows)."""
    from django.apps import apps

    importlib.import_module("gongjiang.training.migrations.0002_subsidy_table").load(apps, None)


def _trainees(personas):
    """Five trainees with 机械热加工 certificates: three fit the 高级工 course begun 2026-03-01; one
    was certified before it began, one holds a 中级工 certificate."""
    rows = []
    for level, issued in [
        ("GRADE3", datetime.date(2026, 6, 1)),
        ("GRADE3", datetime.date(2026, 6, 2)),
        ("GRADE3", datetime.date(2026, 2, 20)),
        ("GRADE3", datetime.date(2026, 6, 3)),
        ("GRADE4", datetime.date(2026, 6, 4)),
    ]:
        person = PersonFactory(region_id="320706", employer=personas.org_haizhou)
        cert = CertificateFactory(person=person, occupation_id="6-18-02", level_id=level, issue_date=issued)
        rows.append((person, cert))
    return rows


def test_provider_publishes_public_finds_on_a_phone_provider_claims_and_sees_two_refused(
    page, browser, live_server, log_in, live_personas, subsidy_table
):
    from gongjiang.training.tests.factories import ProviderFactory

    ProviderFactory(organisation=live_personas.org_haizhou, name="海州焊接技能培训学校")
    trainees = _trainees(live_personas)

    log_in("org")
    page.goto("/training/courses/")
    page.get_by_role("link", name="新增").click()
    page.get_by_label("培训机构").select_option(label="海州焊接技能培训学校")
    page.get_by_label("课程名称").fill("焊工（高级工）周末班")
    page.get_by_label("职业（工种）").select_option("6-18-02")
    page.get_by_label("培训等级").select_option("GRADE3")
    page.get_by_label("重点领域").select_option("advanced_manufacturing")
    page.get_by_label("课时").fill("160")
    page.get_by_label("收费（元）").fill("3200")
    page.get_by_label("可取得的证书").select_option("skill_level")
    page.get_by_label("补贴类别").select_option("A")
    page.get_by_label("已发布").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("焊工（高级工）周末班")
    page.get_by_role("link", name="新增开班").click()
    page.get_by_label("开班日期").fill("2026-03-01")
    page.get_by_label("结业日期").fill("2026-05-31")
    page.get_by_label("地点").fill("海州区实训楼")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("schedules")).to_contain_text("2026-03-01 至 2026-05-31")

    phone = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 812}
    )
    try:
        public = phone.new_page()
        public.goto("/verify/")
        public.get_by_role("navigation").get_by_role("link", name="培训目录").click()
        assert public.evaluate(NO_OVERFLOW)
        public.get_by_label("重点领域").select_option(label="先进制造业")
        public.get_by_label("可享补贴").select_option("true")
        public.get_by_role("button", name="查询").click()
        card = public.get_by_test_id("course").filter(has_text="焊工（高级工）周末班")
        expect(card).to_be_visible()
        expect(card.get_by_test_id("subsidy")).to_contain_text("2500 元")
        assert public.evaluate(NO_OVERFLOW)
        card.get_by_role("link").click()
        expect(public.get_by_test_id("schedules")).to_contain_text("2026-03-01")
        expect(public.get_by_test_id("current-user")).to_have_count(0)
        assert public.evaluate(NO_OVERFLOW)
    finally:
        phone.close()

    page.goto("/training/claims/new/")
    page.get_by_label("补贴种类").select_option("vocational")
    page.get_by_label("培训班次").select_option(index=1)
    page.get_by_label("开户银行").fill("中国银行连云港分行")
    page.get_by_label("银行账号").fill("6217 0000 1111 2222 333")
    page.get_by_label("取证学员").fill(
        "\n".join("%s %s %s" % (p.name, decrypt(p.id_cipher), c.number) for p, c in trainees)
    )
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("待县区审核")
    lines = page.get_by_test_id("line")
    expect(lines).to_have_count(5)
    refused = page.locator('[data-testid="line"][data-eligible="no"]')
    expect(refused).to_have_count(2)
    expect(refused.nth(0)).to_contain_text(trainees[2][0].name)
    expect(refused.nth(0).get_by_test_id("reasons")).to_have_text(
        "发证日期 2026-02-20 早于开班日期 2026-03-01"
    )
    expect(refused.nth(1)).to_contain_text(trainees[4][0].name)
    expect(refused.nth(1).get_by_test_id("reasons")).to_have_text("证书等级（中级工）与课程等级不符")
    expect(page.get_by_test_id("summary")).to_have_text("3 人，合计 7500.00 元；不符合 2 人")
