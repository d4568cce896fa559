"""补正 with files: an enterprise declares a training base with a file, the 海州 county returns it
asking for 近三年培训台账, the enterprise uploads the ledger and resubmits, and the declaration
lands back on the county's to-do list (the one across every workflow), with both files on its
timeline."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from gongjiang.workflow.models import Attachment

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_returned_for_a_file_and_resubmitted_with_it(
    page, log_in, log_out, live_personas, carrier_rules, tmp_path
):
    from gongjiang.talents.tests.factories import PersonFactory

    leader = PersonFactory(employer=live_personas.org_haizhou, region_id="320706", name="孙师傅")
    plan = tmp_path / "建设方案.pdf"
    plan.write_bytes(PDF)
    ledger = tmp_path / "近三年培训台账.pdf"
    ledger.write_bytes(PDF + b"% ledger\n")

    # 1. The enterprise declares, with its plan attached.
    log_in("org")
    page.goto("/carriers/new/")
    page.get_by_label("载体名称").fill("海州焊接高技能人才培训基地")
    page.get_by_label("载体类型").select_option(label="高技能人才培训基地")
    page.get_by_label("申报级别").select_option(label="市级")
    page.get_by_label("领办人身份证号").fill(leader.id_number)
    page.get_by_label("重点领域").select_option(label="先进制造业")
    page.get_by_label("申报材料").set_input_files(str(plan))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交申报")
    expect(page.get_by_test_id("attachments")).to_contain_text("建设方案.pdf")
    log_out()

    # 2. The county finds it on its to-do list (badge in the navigation bar) and returns it.
    log_in("haizhou")
    expect(page.get_by_test_id("todo-badge")).to_contain_text("1")
    page.get_by_test_id("nav-todo").click()
    todo = page.get_by_test_id("todo")
    expect(todo.get_by_test_id("todo-item")).to_have_count(1)
    expect(todo).to_contain_text("县区初审")
    todo.get_by_role("link", name="海州焊接高技能人才培训基地").click()
    form = page.get_by_test_id("step-return")
    form.get_by_label("需要补正的内容").fill("请上传近三年培训台账")
    form.get_by_role("button", name="退回补正").click()
    expect(page.get_by_role("alert")).to_contain_text("已退回补正")
    expect(page.get_by_test_id("status")).to_have_text("退回补正")
    page.get_by_test_id("nav-todo").click()
    expect(page.get_by_test_id("todo").get_by_test_id("todo-item")).to_have_count(0)
    log_out()

    # 3. The enterprise sees the note, uploads the ledger and resubmits.
    log_in("org")
    page.get_by_test_id("nav-todo").click()
    page.get_by_test_id("todo").get_by_role("link", name="海州焊接高技能人才培训基地").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("请上传近三年培训台账")
    form = page.get_by_test_id("step-resubmit")
    form.get_by_label("补正说明").fill("已补充近三年培训台账")
    form.get_by_label("附件").set_input_files(str(ledger))
    form.get_by_role("button", name="重新提交").click()
    expect(page.get_by_role("alert")).to_contain_text("已重新提交")
    expect(page.get_by_test_id("status")).to_have_text("待县区初审")
    expect(page.get_by_test_id("timeline-item").last).to_contain_text("近三年培训台账.pdf")
    log_out()

    # 4. Back on the county's to-do list, where the ledger opens.
    log_in("haizhou")
    page.get_by_test_id("nav-todo").click()
    todo = page.get_by_test_id("todo")
    expect(todo.get_by_test_id("todo-item")).to_have_count(1)
    expect(todo).to_contain_text("海州焊接高技能人才培训基地")
    todo.get_by_role("link", name="海州焊接高技能人才培训基地").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="近三年培训台账.pdf").click()
    assert download.value.suggested_filename == "近三年培训台账.pdf"
    assert Path(download.value.path()).read_bytes() == ledger.read_bytes()
    assert sorted(Attachment.objects.values_list("name", flat=True)) == ["建设方案.pdf", "近三年培训台账.pdf"]
