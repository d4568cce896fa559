"""The school journey: a school's operator opens the schools section, sees its school's share of
teachers at 高级工 or above against the 90% goal, and follows the link to the teachers below it."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school(live_personas):
    from gongjiang.accounts.choices import Role
    from gongjiang.accounts.tests.factories import UserFactory
    from gongjiang.schools.tests.factories import SchoolFactory, teacher_with_level
    from gongjiang.talents.services import certificate_revoke

    school = SchoolFactory(name="海州示范中等专业学校", region_id="320706")
    for level in ["GRADE3"] * 5 + ["GRADE2", "GRADE1", "GRADE3"]:
        teacher_with_level(school, level)
    below = teacher_with_level(school, "GRADE4")
    revoked = teacher_with_level(school, "GRADE3")
    certificate_revoke(
        actor=live_personas.city, certificate=revoked.person.certificates.get(), reason="核查发现证书造假"
    )
    teacher_with_level(SchoolFactory(name="海州另一技工学校", region_id="320706"), "GRADE4")
    UserFactory(username="school", role=Role.ORG_OPERATOR, organisation=school)
    return {"school": school, "below": {below.person.name, revoked.person.name}}


def test_school_operator_sees_share_against_goal_and_the_teachers_below(page, log_in, school):
    log_in("school")
    page.get_by_role("navigation").get_by_role("link", name="职业院校").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)  # only its own school
    expect(rows.first).to_contain_text("80.0%")

    page.get_by_role("link", name="海州示范中等专业学校").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("海州示范中等专业学校")
    card = page.get_by_test_id("share-card")
    expect(card.get_by_test_id("teacher-share")).to_have_text("80.0%")
    expect(card.get_by_test_id("teacher-goal")).to_have_text("目标 90%")
    expect(card).to_contain_text("未达标")
    expect(card).to_contain_text("8 / 10 人持有高级工及以上有效证书")

    page.get_by_test_id("below-link").click()
    page.wait_for_url(re.compile(r"/schools/teachers/\?.*high=false"))
    expect(page.get_by_test_id("total")).to_have_text("共 2 条")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    names = {rows.nth(i).locator("td").first.inner_text() for i in range(2)}
    assert names == school["below"]
    for i in range(2):
        expect(rows.nth(i)).to_contain_text("海州示范中等专业学校")
        expect(rows.nth(i).locator("td").nth(6)).to_have_text("否")

    rows.first.get_by_role("link").click()
    expect(page.get_by_test_id("teacher-high")).to_have_text("未达高级工")
