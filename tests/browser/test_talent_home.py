"""A talent on a phone (375×812): signs in, lands on their own 技能档案 without sideways scrolling,
opens a certificate's QR code, and asks for a correction that the county then accepts."""

import pytest
from playwright.sync_api import expect

from gongjiang.talents.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = None


def _no_sideways_scroll(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, "page is %dpx wide in a %dpx viewport" % (width, viewport)


def test_talent_home_fits_a_phone_and_a_correction_goes_to_the_county(page, log_in, log_out, live_personas):
    person = live_personas.person_haizhou
    CertificateFactory(
        person=person,
        number="Y320700000000000000000099",
        issuer="连云港市某某职业技能等级认定社会评价组织（很长的机构名称）",
        occupation_name="电工",
        level_id="GRADE2",
    )
    log_in("talent")  # the login fixture checks the (desktop) navigation bar
    assert page.url.endswith("/me/")
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.name)
    expect(page.get_by_test_id("my-certificate")).to_have_count(2)
    expect(page.get_by_test_id("my-high-skilled")).to_have_text("高技能人才")
    _no_sideways_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/home-375.png", full_page=True)

    first = page.get_by_test_id("my-certificate").first
    first.get_by_text("查验二维码和链接").click()
    expect(first.get_by_test_id("verify-qr")).to_be_visible()
    link = first.get_by_test_id("verify-link").inner_text()
    assert "/verify/c/" in link
    _no_sideways_scroll(page)

    # The navigation (collapsed on a phone) offers only the talent's pages.
    page.get_by_role("button", name="菜单").click()
    nav = page.locator("#nav .nav-link")
    expect(nav).to_have_text(["我的技能档案", "人才待遇", "更正申请", "证书查验", "培训目录"])

    page.goto("/corrections/new/?kind=person")
    page.get_by_label("有误的项目").select_option(label="姓名")
    page.get_by_label("应更正为").fill("海州人员乙")
    page.get_by_label("说明").fill("改名后未更新")
    # Let the navigation's to-do badge (which saves the session) finish first: on SQLite a write
    # that overlaps another request's write can be refused as "database is locked".
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="提交更正申请").click()
    expect(page.get_by_test_id("correction-status")).to_have_text("待县区审核")
    _no_sideways_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/correction-375.png", full_page=True)
    detail = page.url

    page.set_viewport_size({"width": 1400, "height": 900})
    log_out()
    log_in("haizhou")
    page.get_by_test_id("nav-todo").click()
    page.get_by_role("link", name="海州人员的更正申请（个人信息有误）").click()
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("step-accept").get_by_role("button", name="同意更正").click()
    expect(page.get_by_test_id("correction-status")).to_have_text("已更正")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/correction-county.png", full_page=True)

    log_out()
    log_in("talent")
    # The county's step reached the talent: the bell shows one unread message, the home lists it,
    # and opening it leads to the request (and marks it read).
    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    message = page.get_by_test_id("my-notifications").get_by_test_id("notification")
    expect(message).to_have_count(1)
    expect(message).to_contain_text("同意更正，当前状态“已更正”")
    _no_sideways_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/home-message-375.png", full_page=True)
    page.wait_for_load_state("networkidle")
    message.get_by_role("link").click()
    assert page.url == detail
    expect(page.get_by_test_id("correction-status")).to_have_text("已更正")
    page.goto("/todo/notifications/")
    expect(page.get_by_test_id("unread-count")).to_have_text("全部已读")
    page.goto(detail)
    expect(page.get_by_test_id("correction-status")).to_have_text("已更正")
    expect(page.get_by_test_id("timeline")).to_contain_text("已将姓名更正为 海州人员乙")
    page.goto("/me/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("海州人员乙")
    if SHOTS:
        page.set_viewport_size({"width": 1400, "height": 900})
        page.screenshot(path=f"{SHOTS}/home-desktop.png", full_page=True)
