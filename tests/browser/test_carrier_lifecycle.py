"""A training carrier's journey: an enterprise declares a 技能大师工作室, the 海州 county passes
its first review, the city records three experts' scores and recognises it, and anyone finds it
in the public catalogue without logging in: three different users, then nobody."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from gongjiang.carriers.models import Carrier

pytestmark = pytest.mark.django_db(transaction=True)


def test_declared_reviewed_recognised_and_public(page, log_in, log_out, live_personas, carrier_rules):
    from gongjiang.carriers.tests.factories import leader_at

    technician = leader_at("GRADE2", employer=live_personas.org_haizhou, name="周技师")
    today = datetime.date.today().isoformat()

    # 1. The enterprise declares (organisation operator).
    log_in("org")
    page.get_by_role("navigation").get_by_role("link", name="培养载体").click()
    page.get_by_role("link", name="新增").click()
    page.get_by_label("载体名称").fill("周技师数控技能大师工作室")
    page.get_by_label("载体类型").select_option(label="技能大师工作室")
    page.get_by_label("申报级别").select_option(label="市级")
    page.get_by_label("领办人身份证号").fill(technician.id_number)
    page.get_by_label("重点领域").select_option(label="先进制造业")
    page.get_by_label("建设情况简介").fill("数控加工绝技绝活传承，年带徒20人。")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交申报：周技师数控技能大师工作室，等待县区初审")
    expect(page.get_by_test_id("status")).to_have_text("待县区初审")
    expect(page.get_by_test_id("leader")).to_contain_text("周技师")
    expect(page.get_by_test_id("leader")).not_to_contain_text(technician.id_number)
    expect(page.get_by_test_id("actions")).to_have_count(0)  # the organisation does not review
    carrier = Carrier.objects.get(name="周技师数控技能大师工作室")
    log_out()

    # 2. The 海州 county finds it in its to-do list and passes the first review (region operator).
    log_in("haizhou")
    page.goto("/carriers/todo/")
    todo = page.get_by_test_id("todo")
    expect(todo.locator("tbody tr")).to_have_count(1)
    expect(todo).to_contain_text("县区初审")
    todo.get_by_role("link", name="周技师数控技能大师工作室").click()
    page.get_by_label("初审意见").fill("材料齐全，领办人为技师，同意推荐")
    page.get_by_role("button", name="初审通过，报市级评审").click()
    expect(page.get_by_role("alert")).to_contain_text("县区初审通过，已转市级评审")
    expect(page.get_by_test_id("status")).to_have_text("待市级评审")
    expect(page.get_by_test_id("timeline")).to_contain_text("材料齐全，领办人为技师，同意推荐")
    log_out()

    # 3. The city records three experts' scores and recognises it (city admin).
    log_in("city")
    page.goto("/carriers/todo/")
    page.get_by_test_id("todo").get_by_role("link", name="周技师数控技能大师工作室").click()
    for expert, score in (("王建华", "86"), ("李卫东", "90"), ("陈立新", "91")):
        form = page.get_by_test_id("step-score")
        form.get_by_label("专家姓名").fill(expert)
        form.get_by_label("评分").fill(score)
        form.get_by_role("button", name="录入评分").click()
        expect(page.get_by_role("alert")).to_contain_text("已录入专家评分")
    expect(page.get_by_test_id("scores")).to_contain_text("王建华")
    expect(page.get_by_test_id("score-mean")).to_have_text("89.00")
    recognise = page.get_by_test_id("step-recognise")
    recognise.get_by_label("认定级别").select_option(label="市级")
    recognise.get_by_label("认定日期").fill(today)
    recognise.get_by_label("资助金额").fill("200000")
    recognise.get_by_role("button", name="认定").click()
    expect(page.get_by_role("alert")).to_contain_text("已认定")
    expect(page.get_by_test_id("status")).to_have_text("已认定")
    expect(page.get_by_test_id("level")).to_have_text("市级")
    expect(page.get_by_test_id("first-recognised")).to_have_text(today)
    timeline = page.get_by_test_id("timeline-item")
    expect(timeline).to_have_count(6)  # declare, county pass, three scores, recognise
    expect(timeline.last).to_contain_text("认定")
    expect(timeline.last).to_contain_text("市级管理员")
    carrier.refresh_from_db()
    assert (carrier.status, carrier.level, carrier.city_level_since) == (
        "recognised",
        "city",
        datetime.date.today(),
    )
    log_out()

    # 4. Anyone finds it in the public catalogue, without logging in.
    page.get_by_role("link", name="培养载体目录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("高技能人才培养载体目录")
    page.get_by_label("载体类型").select_option(label="技能大师工作室")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"[?&]carrier_type=skill_master_studio"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("周技师数控技能大师工作室")
    expect(rows.first).to_contain_text("周技师")
    expect(rows.first).to_contain_text(live_personas.org_haizhou.name)
    expect(rows.first).to_contain_text("市级")
    expect(page.locator("main")).not_to_contain_text(technician.id_masked)
    expect(page.locator("main")).not_to_contain_text(technician.id_number)
    expect(page.get_by_test_id("target")).to_have_text("1 / 20 家")
