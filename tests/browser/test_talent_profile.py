"""The talent profile journey: find a person by full ID, open the 技能档案, reveal the ID with a
reason (audited), add a certificate; and the same search from outside the person's region."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from gongjiang.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)


def search_persons(page: Page, text: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="人才库").click()
    page.get_by_label("姓名或身份证号").fill(text)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"[?&]q="))
    page.wait_for_load_state()


def test_city_admin_finds_person_by_id_reveals_it_and_adds_a_certificate(page, log_in, live_personas):
    person = live_personas.person_haizhou
    full_id = person.id_number
    masked_id = full_id[:6] + "*" * 8 + full_id[-4:]
    log_in("city")

    search_persons(page, full_id)
    assert full_id not in page.url  # the search is posted; the address carries only a digest
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(person.name)
    expect(rows.first).to_contain_text(masked_id)
    expect(rows.first).not_to_contain_text(full_id)
    expect(page.get_by_test_id("total")).to_have_text("共 1 条")

    page.get_by_role("link", name=person.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("技能档案")
    expect(page.get_by_test_id("masked-id")).to_have_text(masked_id)
    expect(page.locator("main")).not_to_contain_text(full_id)

    page.get_by_label("查看事由").fill("核对证书登记信息")
    page.get_by_role("button", name="查看完整号码").click()
    expect(page.get_by_test_id("full-id")).to_have_text(full_id)
    assert AuditEntry.objects.filter(
        action="person.reveal", object_type="talents.person", object_id=str(person.pk)
    ).exists()

    timeline = page.get_by_test_id("timeline-item")
    before = timeline.count()
    page.get_by_role("button", name="添加证书").click()
    form = page.locator("#add-certificate")
    form.get_by_label("证书类型").select_option(label="职业技能等级证书")
    form.get_by_label("技能等级").select_option(label="技师")
    form.get_by_label("证书编号").fill("Y320700000000002000123")
    form.get_by_label("发证机构").fill("连云港市职业技能鉴定指导中心")
    form.get_by_label("发证日期").fill("2025-06-18")
    form.get_by_role("button", name="保存证书").click()

    expect(page.get_by_role("alert")).to_contain_text("已添加证书 Y320700000000002000123")
    expect(timeline).to_have_count(before + 1)
    expect(timeline.filter(has_text="Y320700000000002000123")).to_contain_text("技师")
    expect(page.get_by_test_id("highest-level")).to_have_text("技师")


def test_region_operator_cannot_find_or_open_person_of_another_region(page, log_in, live_personas):
    person = live_personas.person_haizhou
    log_in("ganyu")

    search_persons(page, person.id_number)
    expect(page.get_by_test_id("total")).to_have_text("共 0 条")
    expect(page.get_by_role("link", name=person.name)).to_have_count(0)

    response = page.goto(f"/talents/persons/{person.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("未找到")
    expect(page.locator("main")).not_to_contain_text(person.name)


def test_search_by_name_is_not_narrowed_by_the_untouched_year_filter(page, log_in, live_personas):
    from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

    veteran = PersonFactory(name="老师傅丙", region_id="320706")
    CertificateFactory(person=veteran, level_id="GRADE1", issue_date=datetime.date(2015, 5, 1))
    log_in("city")

    search_persons(page, "老师傅")
    assert page.get_by_role("link", name="老师傅丙").count() == 1


def test_timeline_marks_the_certificate_that_made_an_introduced_talent_high_skilled(
    page, log_in, live_personas
):
    from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

    person = PersonFactory(name="引进高级工", region_id="320706", introduced_on=datetime.date(2026, 3, 1))
    CertificateFactory(person=person, level_id="GRADE4", number="Y0001", issue_date=datetime.date(2019, 6, 1))
    CertificateFactory(person=person, level_id="GRADE3", number="Y0002", issue_date=datetime.date(2024, 5, 1))
    log_in("city")
    page.goto(f"/talents/persons/{person.pk}/")
    expect(page.get_by_test_id("high-skilled-since")).to_have_text("2026-03-01")
    badge = page.get_by_test_id("made-high-skilled")
    expect(badge).to_have_count(1)
    expect(badge).to_have_text("成为高技能人才（引进后自 2026-03-01 起计）")
    marked = page.get_by_test_id("timeline-item").filter(has=badge)
    expect(marked).to_contain_text("Y0002")
    expect(marked).to_contain_text("2024-05-01")
