"""The city admin issues an API token in the browser for an organisation's account, sees it once,
a partner system calls the API with it (scoped like that account), and the admin revokes it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_city_issues_a_token_shown_once_and_revokes_it(page, live_personas, log_in):
    log_in("city")
    page.get_by_role("navigation").get_by_role("link", name="接口令牌").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("接口令牌")
    page.get_by_role("link", name="新增").click()
    page.get_by_label("令牌代表的账号").select_option(label="org（单位用户，海州测试机械有限公司）")
    page.get_by_label("用途").fill("企业人事系统对接")
    page.get_by_label("有效天数").fill("90")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("令牌只显示这一次")).to_be_visible()
    token = page.get_by_test_id("api-token").text_content().strip()
    assert token.startswith("gj_")

    # The partner system: only the token, and the organisation operator's scope.
    answer = page.request.get("/api/v1/persons", headers={"Authorization": "Bearer %s" % token})
    assert answer.status == 200
    assert [p["name"] for p in answer.json()["items"]] == ["海州人员"]

    page.get_by_role("link", name="返回令牌列表").click()
    row = page.get_by_role("row", name="企业人事系统对接")
    expect(row).to_contain_text("有效")
    expect(row).to_contain_text(token[:10])
    expect(page.locator("main")).not_to_contain_text(token)
    row.get_by_role("link", name="撤销").click()
    page.get_by_label("撤销原因").fill("系统更换")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("令牌已撤销")).to_be_visible()
    expect(page.get_by_role("row", name="企业人事系统对接")).to_contain_text("已撤销")
    refused = page.request.get("/api/v1/persons", headers={"Authorization": "Bearer %s" % token})
    assert refused.status == 401
    assert "令牌" in refused.json()["detail"]


def test_signed_in_users_read_the_interactive_docs_served_locally(page, live_personas, log_in):
    log_in("org")
    page.goto("/api/v1/docs")
    expect(page.get_by_text("/api/v1/persons").first).to_be_visible()
    expect(page.get_by_text("/api/v1/roster").first).to_be_visible()
