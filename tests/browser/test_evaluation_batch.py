"""The evaluation journey: the institution records and reports a batch's results, the city
publishes them, and the candidate's 技能档案 shows the new certificate at once."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.evaluation.models import Batch
from gongjiang.evaluation.tests.factories import BatchFactory, CandidateFactory, FilingFactory
from gongjiang.talents.models import Certificate

pytestmark = pytest.mark.django_db(transaction=True)


def test_institution_reports_city_publishes_profile_shows_the_certificate(
    page, log_in, switch_user, live_personas
):
    person = live_personas.person_haizhou  # on the staff of the org operator's enterprise, 高级工
    filing = FilingFactory(organisation=live_personas.org_haizhou)
    batch = BatchFactory(
        filing=filing, name="焊工技师认定", exam_date=timezone.localdate() - datetime.timedelta(days=5)
    )
    CandidateFactory(batch=batch, person=person)

    # The institution opens its batch, records the result and reports it.
    log_in("org")
    page.get_by_role("navigation").get_by_role("link", name="技能评价").click()
    page.get_by_role("link", name=batch.code).click()
    expect(page.get_by_test_id("status")).to_have_text("计划中")
    page.get_by_role("link", name="录入考核结果").click()
    page.get_by_label("%s 考核结果" % person.name).select_option(label="合格")
    page.get_by_label("%s 成绩" % person.name).fill("88.5")
    page.get_by_role("button", name="保存结果").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存考核结果")
    expect(page.get_by_test_id("candidates")).to_contain_text("合格")
    page.get_by_role("button", name="上报结果").click()
    expect(page.get_by_role("alert")).to_contain_text("结果已上报")
    expect(page.get_by_test_id("status")).to_have_text("结果已上报")
    expect(page.get_by_role("button", name="审核通过并公布发证")).to_have_count(0)

    # The city reviews and publishes.
    switch_user("city")
    page.goto("/evaluation/batches/?status=reported")
    page.get_by_role("link", name=batch.code).click()
    page.get_by_role("button", name="审核通过并公布发证").click()
    expect(page.get_by_role("alert")).to_contain_text("已公布结果并发证")
    expect(page.get_by_test_id("status")).to_have_text("已公布发证")
    certificate = Certificate.objects.get(person=person, source="evaluation")
    assert Batch.objects.get(pk=batch.pk).status == "published"
    expect(page.get_by_test_id("candidates")).to_contain_text(certificate.number)

    # The person's profile shows the certificate and the new highest level.
    page.get_by_test_id("candidates").get_by_role("link", name=person.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("技能档案")
    item = page.get_by_test_id("timeline-item").filter(has_text=certificate.number)
    expect(item).to_contain_text("技师")
    expect(item).to_contain_text(live_personas.org_haizhou.name)
    expect(page.get_by_test_id("highest-level")).to_have_text("技师")
    expect(page.locator("main")).not_to_contain_text(person.id_number)
    assert re.fullmatch(r"Y000032\d{6}\d{2}2\d{6}", certificate.number)
