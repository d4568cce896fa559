"""The dashboard's training figures: trainees and certificates by domain and provider kind,
subsidy granted and paid by kind; a county sees its own claims only."""

import datetime

import pytest

from gongjiang.benefits.models import PaymentLine
from gongjiang.benefits.services import payment_batch_create
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory
from gongjiang.training.services import claim_step, claim_submit

from .factories import ProviderFactory, ScheduleFactory
from .test_claims import as_trainee

pytestmark = pytest.mark.django_db


def _claim(actor, org, region, n_good, n_bad, **course):
    schedule = ScheduleFactory(
        course__provider=ProviderFactory(organisation=org, kind="technical_school"), **course
    )
    trainees = []
    for i in range(n_good + n_bad):
        person = PersonFactory(region_id=region)
        issued = datetime.date(2026, 6, 1) if i < n_good else datetime.date(2026, 1, 1)
        trainees.append(
            as_trainee(person, CertificateFactory(person=person, occupation_id="6-18-02", issue_date=issued))
        )
    return claim_submit(
        actor=actor,
        kind="vocational",
        schedule=schedule,
        bank_name="中国银行",
        account="621700001111222233",
        trainees=trainees,
    )


def test_the_dashboard_counts_trainees_certificates_and_subsidy_granted_and_paid(personas, login):
    from gongjiang.accounts.tests.factories import UserFactory

    ganyu_operator = UserFactory(username="ganyu-org", role="org_operator", organisation=personas.org_ganyu)
    haizhou = _claim(personas.org_operator, personas.org_haizhou, "320706", 2, 1)
    _claim(
        ganyu_operator,
        personas.org_ganyu,
        "320707",
        1,
        0,
        course__domain_id="transportation",
        course__occupation_id="6-18-02",
    )
    claim_step(actor=personas.haizhou, claim=haizhou, action="county_pass")
    claim_step(actor=personas.city, claim=haizhou, action="approve")
    batch = payment_batch_create(actor=personas.city, month=datetime.date.today().replace(day=1))
    PaymentLine.objects.filter(batch=batch).update(status="paid")

    board = login(personas.city).get("/stats/").context["board"]
    assert board.training["by_domain"] == [
        {"label": "交通运输", "trainees": 1, "certified": 1},
        {"label": "先进制造业", "trainees": 3, "certified": 2},
    ]
    assert board.training["by_provider_kind"] == [{"label": "技工院校", "trainees": 4, "certified": 3}]
    assert board.training["by_kind"] == [
        {"label": "职业技能培训补贴", "count": 2, "granted": 5000.0, "paid": 5000.0},
        {"label": "技能提升补贴", "count": 0, "granted": 0.0, "paid": 0.0},
    ]
    page = login(personas.city).get("/stats/").content.decode()
    assert 'data-testid="chart-training"' in page and 'data-testid="table-training-subsidy"' in page

    county = login(personas.haizhou).get("/stats/").context["board"]
    assert county.training["by_domain"] == [{"label": "先进制造业", "trainees": 3, "certified": 2}]
    assert county.training["by_kind"][0]["paid"] == 5000.0
