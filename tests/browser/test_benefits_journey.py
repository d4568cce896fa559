"""免申即享 from policy to payment: the city loads a policy; the talent sees that they qualify and
why, and confirms the bank account; the county verifies; the city makes the month's batch,
downloads the bank file and imports the bank's answer; the talent sees 已发放."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

pytestmark = pytest.mark.django_db(transaction=True)

POLICY = {
    "code": "HZ-SKILL-ALLOWANCE",
    "name": "海州区高技术技能人才政府津贴",
    "basis": "海州区办法（测试）",
    "department": "海州区人社局",
    "mode": "automatic",
    "effective": ["2024-05-01", None],
    "regions": ["320706"],
    "levels": {"GRADE3": 5000, "GRADE2": 8000},
    "certificate_types": ["qualification", "skill_level", "appointment"],
    "attained": ["2024-05-01", None],
    "per": "person",
    "instalments": 1,
    "budget": {"2026": 2000000},
}


def open_until(page: Page, url: str, testid: str, text: str, tries: int = 40) -> None:
    """Reload ``url`` until ``testid`` shows ``text`` (the background worker makes the offers)."""
    for _ in range(tries):
        page.goto(url)
        if text in (
            page.get_by_test_id(testid).first.text_content() if page.get_by_test_id(testid).count() else ""
        ):
            return
        page.wait_for_timeout(250)
    from django_tasks_db.models import DBTaskResult

    tasks = list(DBTaskResult.objects.values_list("task_path", "status", "exception_class_path", "traceback"))
    raise AssertionError(f"{testid} never showed {text!r} on {url}; tasks: {tasks}")


def test_policy_to_payment(page, log_in, switch_user, live_personas, worker, tmp_path):
    from gongjiang.benefits.models import Entitlement

    person = live_personas.person_haizhou  # 高级工 since 2026-03-01, the talent account's person
    policy_file = tmp_path / "政策.json"
    policy_file.write_text(json.dumps([POLICY], ensure_ascii=False), encoding="utf-8")

    # 1. The city loads the policy; its offers are made in the background.
    log_in("city")
    page.get_by_role("navigation").get_by_role("link", name="人才待遇").click()
    page.get_by_role("link", name="待遇政策").click()
    page.get_by_label("政策文件（JSON）").set_input_files(str(policy_file))
    page.get_by_role("button", name="载入").click()
    expect(page.get_by_role("alert")).to_contain_text("已载入：新增 1 项")
    expect(page.get_by_test_id("policy-HZ-SKILL-ALLOWANCE")).to_contain_text("高级工 5000 元")
    open_until(page, "/benefits/policies/", "as-of", "免申即享资格计算截至")

    # 2. The talent sees that they qualify and why, and confirms the bank account.
    switch_user("talent")  # lands on their own space, where the benefits card loads
    card = page.get_by_test_id("benefit-HZ-SKILL-ALLOWANCE")
    expect(card.get_by_test_id("verdict")).to_have_text("符合")
    expect(card).to_contain_text("✔ 工作县区：工作县区为海州区")
    expect(card).to_contain_text("高级工 · 5000 元")
    page.get_by_role("navigation").get_by_role("link", name="人才待遇").click()
    page.get_by_role("link", name=person.name).click()
    form = page.get_by_test_id("step-confirm")
    form.get_by_label("开户银行").fill("中国银行连云港分行")
    form.get_by_label("银行账号").fill("6217 8520 0000 1234 567")
    form.get_by_role("button", name="确认银行账户并同意").click()
    expect(page.get_by_test_id("step-confirm")).to_contain_text("请阅读并同意发放须知")  # consent first
    form = page.get_by_test_id("step-confirm")
    form.get_by_label("银行账号").fill("6217 8520 0000 1234 567")
    form.get_by_label("我确认以上账户为本人账户").check()
    form.get_by_role("button", name="确认银行账户并同意").click()
    expect(page.get_by_role("alert")).to_contain_text("已确认，等待县区核实")
    expect(page.get_by_test_id("account")).to_have_text("***************4567")
    entitlement = Entitlement.objects.get(person=person)

    # 3. The county finds it on its to-do list and verifies it.
    switch_user("haizhou")
    page.get_by_test_id("nav-todo").click()
    page.get_by_test_id("todo").get_by_role("link", name=re.compile("海州区高技术技能人才政府津贴")).click()
    page.get_by_test_id("step-verify").get_by_role("button", name="核实通过").click()
    expect(page.get_by_role("alert")).to_contain_text("已核实，待遇可以发放")
    expect(page.get_by_test_id("status")).to_have_text("已核实，可发放")

    # 4. The city makes the month's batch, downloads the bank file and imports the bank's answer.
    switch_user("city")
    page.goto("/benefits/payments/")
    page.get_by_test_id("make-batch").get_by_role("button", name="制作发放批次").click()
    expect(page.get_by_role("alert")).to_contain_text("1 笔")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载银行发放文件").click()
    rows = CalamineWorkbook.from_path(str(download.value.path())).get_sheet_by_index(0).to_python()
    line_id, name, _bank, account, amount = rows[1][:5]
    assert (name, account, float(amount)) == (person.name, "6217852000001234567", 5000.0)
    answer = tmp_path / "银行回盘.csv"
    answer.write_text("明细编号,金额,结果,失败原因\n%s,5000.00,成功,\n" % line_id, encoding="utf-8-sig")
    page.get_by_role("link", name="导入银行回盘").click()
    page.get_by_label("数据种类").select_option(label="银行发放回盘")
    page.get_by_label("文件").set_input_files(str(answer))
    page.get_by_role("button", name="上传并试导入").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_test_id("job-percent")).to_have_text("100%", timeout=30_000)
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("job-message")).to_contain_text("导入完成", timeout=30_000)

    # 5. The talent sees it paid.
    switch_user("talent")
    page.goto(f"/benefits/entitlements/{entitlement.pk}/")
    expect(page.get_by_test_id("payments")).to_contain_text("已发放")
    assert Path(download.value.path()).exists()
