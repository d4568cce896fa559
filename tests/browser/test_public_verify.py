"""The public verifies a certificate in a browser that has never signed in: by number and holder's
name from the 证书查验 link, and by the signed link a certificate's QR code holds."""

import pytest
from playwright.sync_api import expect

from gongjiang.portal.selectors import mask_name
from gongjiang.portal.tokens import certificate_token
from gongjiang.talents.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_verifies_by_number_and_name_then_by_qr_link(page, live_personas, live_server, browser):
    person = live_personas.person_haizhou
    certificate = CertificateFactory(person=person, number="GJ-VERIFY-0001", occupation_name="焊工")
    revoked = CertificateFactory(person=person, number="GJ-VERIFY-0002", status="revoked")

    page.goto("/accounts/login/")
    page.get_by_role("navigation").get_by_role("link", name="证书查验").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("技能证书查验")
    page.get_by_label("证书编号").fill("GJ-VERIFY-0001")
    page.get_by_label("持证人姓名").fill(person.name)
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_test_id("verify-status")).to_have_text("有效")
    result = page.get_by_test_id("verify-result")
    expect(result).to_contain_text("高级工")
    expect(result).to_contain_text("焊工")
    expect(page.get_by_test_id("verify-holder")).to_have_text(mask_name(person.name))
    expect(page.get_by_test_id("verify-holder-id")).to_have_text(person.id_masked)
    expect(page.locator("main")).not_to_contain_text(person.id_number)

    page.get_by_label("证书编号").fill("GJ-VERIFY-0001")
    page.get_by_label("持证人姓名").fill("不是本人")
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_test_id("verify-not-found")).to_contain_text("未查到")
    expect(page.get_by_test_id("verify-status")).to_have_count(0)

    # A second browser, never signed in, scans the revoked certificate's QR code.
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 812}
    )
    try:
        phone = context.new_page()
        phone.goto("/verify/c/%s" % certificate_token(revoked.pk))
        expect(phone.get_by_test_id("verify-status")).to_have_text("已撤销")
        expect(phone.get_by_test_id("verify-result")).to_contain_text("GJ-VERIFY-0002")
        expect(phone.get_by_test_id("current-user")).to_have_count(0)
        token = certificate_token(certificate.pk)
        phone.goto("/verify/c/%s" % (token[:-1] + ("1" if token[-1] == "0" else "0")))  # tampered
        expect(phone.get_by_test_id("verify-not-found")).to_be_visible()
    finally:
        context.close()
