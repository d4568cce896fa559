"""依申请: the talent applies from the engine's reading, the employer confirms, the county passes,
the city approves within the budget, and the entitlement is granted once."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongjiang.accounts.scope import OutOfScope
from gongjiang.benefits.models import BenefitApplication, BenefitPolicy, Entitlement
from gongjiang.benefits.services import application_step, application_submit, policies_load
from gongjiang.talents.tests.factories import CertificateFactory
from gongjiang.workflow.models import Notification
from gongjiang.workflow.selectors import history, todo_for

pytestmark = pytest.mark.django_db
POLICY = {
    "code": "SKILL-UPGRADE",
    "name": "技能提升补贴",
    "mode": "application",
    "effective": ["2026-01-01", None],
    "levels": {"GRADE4": 1500, "GRADE3": 2000},
    "certificate_types": ["skill_level"],
    "attained": ["2026-01-01", None],
    "per": "level",
    "budget": {str(datetime.date.today().year): 100000},
}


@pytest.fixture
def policy(personas):
    policies_load(actor=None, text=json.dumps([POLICY], ensure_ascii=False))
    return BenefitPolicy.objects.get(code="SKILL-UPGRADE")


def apply(personas, policy, **changes):
    values = {"bank_name": "中国银行", "account": "6217852000001234567", "consent": True}
    return application_submit(
        actor=personas.talent, person=personas.person_haizhou, policy=policy, **{**values, **changes}
    )


def test_applied_confirmed_passed_and_approved_grants_one_payable_entitlement(personas, policy):
    application = apply(personas, policy)  # 海州人员 holds a 2026 高级工 certificate
    assert (application.status, application.level_id, application.amount) == (
        "employer_review",
        "GRADE3",
        Decimal("2000.00"),
    )
    assert [i.obj for i in todo_for(user=personas.org_operator)] == [application]
    application_step(actor=personas.org_operator, application=application, action="employer_confirm")
    with pytest.raises(OutOfScope):
        application_step(actor=personas.ganyu, application=application, action="county_pass")
    application_step(actor=personas.haizhou, application=application, action="county_pass")
    approved = application_step(actor=personas.city, application=application, action="approve")
    assert approved.status == "approved"
    entitlement = Entitlement.objects.get()
    assert (entitlement.status, entitlement.amount, entitlement.account_masked) == (
        "payable",
        Decimal("2000.00"),
        "***************4567",
    )
    assert [e.action for e in history(application)] == [
        "submit",
        "employer_confirm",
        "county_pass",
        "approve",
    ]


def test_only_someone_who_qualifies_may_apply_and_only_once_at_a_time(personas, policy):
    from gongjiang.talents.tests.factories import PersonFactory

    earlier = PersonFactory(name="去年取证", region_id="320706", employer=personas.org_haizhou)
    CertificateFactory(person=earlier, level_id="GRADE3", issue_date=datetime.date(2025, 5, 1))
    with pytest.raises(ValidationError) as exc:
        application_submit(
            actor=personas.org_operator,
            person=earlier,
            policy=policy,
            bank_name="中国银行",
            account="6217852000001234567",
            consent=True,
        )
    assert "高级工证书发证日期 2025-05-01 早于 2026-01-01" in exc.value.messages[0]
    apply(personas, policy)
    with pytest.raises(ValidationError, match="已有一份尚未办结"):
        apply(personas, policy)
    assert BenefitApplication.objects.count() == 1


def test_a_return_goes_back_to_the_applicant_and_the_resubmission_to_the_returning_step(personas, policy):
    application = apply(personas, policy)
    application_step(actor=personas.org_operator, application=application, action="employer_confirm")
    application_step(
        actor=personas.haizhou, application=application, action="return", reason="请补充取证材料"
    )
    assert [i.obj for i in todo_for(user=personas.talent)] == [application]
    resubmitted = application_step(actor=personas.talent, application=application, action="resubmit")
    assert resubmitted.status == "county_review"  # straight back to the county, not the employer


def test_the_talent_applies_on_the_page_and_the_employer_confirms_there(personas, policy, login):
    talent = login(personas.talent)
    url = f"/benefits/apply/SKILL-UPGRADE/{personas.person_haizhou.pk}/"
    page = talent.get(url).content.decode()
    assert "符合条件：高级工 · 2000 元" in page
    response = talent.post(
        url, {"bank_name": "中国银行", "account": "6217 8520 0000 1234 567", "consent": "on"}, follow=True
    )
    application = BenefitApplication.objects.get()
    assert response.redirect_chain[-1][0] == f"/benefits/applications/{application.pk}/"
    assert "已提交申请，等待单位确认" in response.content.decode()
    org = login(personas.org_operator)
    detail = org.get(f"/benefits/applications/{application.pk}/").content.decode()
    assert 'data-testid="step-employer_confirm"' in detail
    org.post(f"/benefits/applications/{application.pk}/employer_confirm/")
    application.refresh_from_db()
    assert application.status == "county_review"


def test_the_talent_sees_each_application_with_its_state_and_may_apply_again_only_after_a_refusal(
    personas, policy, login
):
    application = apply(personas, policy)
    talent = login(personas.talent)
    fragment_url = f"/benefits/persons/{personas.person_haizhou.pk}/eligibility/"
    fragment = talent.get(fragment_url).content.decode()
    row = fragment.split('data-testid="benefit-SKILL-UPGRADE"')[1].split("</details>")[0]
    assert f'href="/benefits/applications/{application.pk}/"' in row and "待单位确认" in row
    assert 'data-testid="apply"' not in row
    application_step(actor=personas.org_operator, application=application, action="employer_confirm")
    application_step(actor=personas.haizhou, application=application, action="reject", reason="材料不实")
    row = talent.get(fragment_url).content.decode().split('data-testid="benefit-SKILL-UPGRADE"')[1]
    row = row.split("</details>")[0]
    assert "未通过" in row and 'data-testid="apply"' in row
    # each step reached the applicant's inbox
    texts = list(Notification.objects.filter(user=personas.talent).values_list("text", flat=True))
    assert len(texts) == 2 and "材料不实" in texts[0] and "单位确认" in texts[1]


def test_the_employer_applies_for_many_staff_at_once_all_or_nothing(personas, policy, login):
    from gongjiang.talents.tests.factories import PersonFactory

    staff = [
        PersonFactory(name=n, region_id="320706", employer=personas.org_haizhou) for n in ("职工甲", "职工乙")
    ]
    for person in staff:
        CertificateFactory(person=person, level_id="GRADE3", issue_date=datetime.date(2026, 3, 1))
    late = PersonFactory(name="去年取证", region_id="320706", employer=personas.org_haizhou)
    CertificateFactory(person=late, level_id="GRADE3", issue_date=datetime.date(2025, 3, 1))
    elsewhere = PersonFactory(name="他单位", region_id="320706")
    CertificateFactory(person=elsewhere, level_id="GRADE3", issue_date=datetime.date(2026, 3, 1))
    org = login(personas.org_operator)
    url = "/benefits/apply/SKILL-UPGRADE/staff/"
    page = org.get(url).content.decode()
    listed = {row.split("</label>")[0].rsplit(">", 1)[1] for row in page.split('data-testid="staff-row"')[1:]}
    assert listed == {"职工甲", "职工乙", "海州人员"}  # qualifying staff only, not 去年取证 nor 他单位
    form = {
        "person": [str(staff[0].pk), str(staff[1].pk)],
        f"bank_name_{staff[0].pk}": "中国银行",
        f"account_{staff[0].pk}": "6217 8520 0000 1111 222",
        f"bank_name_{staff[1].pk}": "工商银行",
        f"account_{staff[1].pk}": "12ab",
        "consent": "on",
    }
    refused = org.post(url, form).content.decode()
    assert "有 1 人未能申请，本次未提交任何申请：职工乙：银行账号应为12至30位数字" in refused
    assert not BenefitApplication.objects.exists()
    assert 'value="6217 8520 0000 1111 222"' in refused  # what was typed is kept
    form[f"account_{staff[1].pk}"] = "6222 0000 1111 2222 333"
    response = org.post(url, form, follow=True)
    assert "已为 2 名职工提交申请，等待县区审核" in response.content.decode()
    made = BenefitApplication.objects.order_by("person__name")
    assert [(a.person.name, a.status, a.submitted_by) for a in made] == [
        ("职工乙", "county_review", personas.org_operator),
        ("职工甲", "county_review", personas.org_operator),
    ]
    after = response.content.decode()
    assert after.count('data-testid="staff-row"') == 1  # only 海州人员 is left to apply for
    assert "待县区审核" in after.split('data-testid="staff-submitted"')[1]
    # the county reviews it; the employer did not have to confirm its own application
    assert {i.obj for i in todo_for(user=personas.haizhou)} >= set(made)
    assert login(personas.talent).get(url).status_code == 403
