"""The second-factor journey in a real browser: a city admin whose second factor is enforced signs
in, enrols an authenticator from the QR page's key, is shown ten recovery codes once, and reaches
the talent database; the next sign-in asks for a code."""

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _code_from_key(text: str, steps_ahead: int = 0) -> str:
    key = text.replace(" ", "")
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    return "%06d" % totp(key, step=30, t0=-30 * steps_ahead, digits=6)


def test_city_admin_enrols_and_is_asked_for_the_code_next_time(page, log_in, live_personas, settings):
    settings.GONGJIANG_OTP_REQUIRED = True
    log_in("city")
    page.goto("/talents/persons/")
    page.wait_for_url(re.compile(r"/accounts/otp/setup/"))
    expect(page.get_by_test_id("otp-qr")).to_be_visible()
    secret = page.get_by_test_id("otp-secret").inner_text()
    page.get_by_label("验证码").fill(_code_from_key(secret))
    page.get_by_role("button", name="启用").click()
    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(re.compile(r"/talents/persons/"))
    expect(page.get_by_role("navigation").get_by_role("link", name="人才库")).to_be_visible()

    page.get_by_role("button", name="退出").click()  # ends the session on the server too
    page.wait_for_url(re.compile(r"/accounts/login/"))
    log_in("city")
    page.goto("/stats/")
    expect(page).to_have_url(re.compile(r"/accounts/otp/\?"))
    page.get_by_label("身份验证器上的 6 位数字，或一个恢复码").fill(_code_from_key(secret, steps_ahead=1))
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(re.compile(r"/stats/"))
