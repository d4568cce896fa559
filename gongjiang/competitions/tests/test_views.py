"""Competition pages: the city records, publishes and withdraws on the event page; a county sees
results of its own people only; the person page and the talent's own page show the title and the
promotion; the dashboard card counts it."""

import pytest

from gongjiang.competitions.choices import ResultStatus
from gongjiang.competitions.models import Result
from gongjiang.talents.choices import CertificateSource

from .factories import CompetitionFactory, EventFactory, ResultFactory, competitor

pytestmark = pytest.mark.django_db


def test_city_records_and_publishes_on_the_event_page(personas, login):
    event = EventFactory(competition=CompetitionFactory(tier="city"))
    person = competitor(level="GRADE4", region_id="320706")
    client = login(personas.city)
    bad = client.post(f"/competitions/events/{event.pk}/record/", {"id_number": "123", "award": "first"})
    assert bad.status_code == 422
    assert "身份证号" in bad.content.decode()
    response = client.post(
        f"/competitions/events/{event.pk}/record/",
        {"id_number": person.id_number, "rank": 1, "award": "first"},
    )
    assert response.status_code == 302
    page = client.get(f"/competitions/events/{event.pk}/").content.decode()
    assert "待公布 1 条" in page
    response = client.post(f"/competitions/events/{event.pk}/publish/", follow=True)
    assert "已公布1条成绩：授予称号1项，颁发晋升证书1张" in response.content.decode()
    result = Result.objects.get(event=event, person=person)
    assert result.status == ResultStatus.PUBLISHED
    assert result.certificate.source == CertificateSource.COMPETITION
    person_page = client.get(f"/talents/persons/{person.pk}/").content.decode()
    assert "连云港技能状元" in person_page
    assert "晋升一级：高级工" in person_page
    assert 'data-testid="competition-promotion"' in person_page
    # Withdrawn with a reason: the certificate is revoked, the page says so.
    refused = client.post(f"/competitions/results/{result.pk}/withdraw/", {"reason": ""}, follow=True)
    assert "请填写撤回原因" in refused.content.decode()
    client.post(f"/competitions/results/{result.pk}/withdraw/", {"reason": "裁判复核"})
    result.refresh_from_db()
    assert result.status == ResultStatus.WITHDRAWN
    assert result.certificate.status == "revoked"


def test_a_county_sees_results_of_its_own_people_only(personas, login):
    event = EventFactory()
    ResultFactory(event=event, person=personas.person_haizhou, award="first")
    ResultFactory(event=event, person=personas.person_ganyu, award="second", rank=2)
    client = login(personas.haizhou)
    listed = client.get("/competitions/results/").context["table"].data.data
    assert [r.person_id for r in listed] == [personas.person_haizhou.pk]
    page = client.get(f"/competitions/events/{event.pk}/").content.decode()
    assert 'data-testid="publish"' not in page
    assert f"/talents/persons/{personas.person_ganyu.pk}/" not in page
    assert client.post(f"/competitions/events/{event.pk}/publish/").status_code == 404


def test_the_talent_sees_their_title_and_promotion_on_their_own_page(personas, login):
    from gongjiang.competitions.services import event_publish
    from gongjiang.honours.services import COMPETITION_TITLES

    result = ResultFactory(
        event=EventFactory(competition=CompetitionFactory(tier="city")),
        person=personas.person_haizhou,
        award="second",
        rank=2,
    )
    event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    page = login(personas.talent).get("/me/").content.decode()
    assert "连云港市技术能手" in page
    assert "晋升一级：技师" in page


def test_award_rules_are_edited_by_the_city_and_read_by_others(personas, login):
    from gongjiang.competitions.models import AwardRule

    rule = AwardRule.objects.get(tier="city", award="first", year_from=2026)
    client = login(personas.city)
    response = client.post(
        f"/competitions/rules/{rule.pk}/edit/",
        {
            "tier": "city",
            "award": "first",
            "year_from": 2026,
            "title_code": "skill_champion",
            "youth_title_code": "",
            "women_title_code": "",
            "prize": "12000",
            "promotion": "to_level",
            "promotion_level": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "须选择等级" in response.content.decode()
    client.post(
        f"/competitions/rules/{rule.pk}/edit/",
        {
            "tier": "city",
            "award": "first",
            "year_from": 2026,
            "title_code": "skill_champion",
            "prize": "12000",
            "promotion": "to_level",
            "promotion_level": "GRADE2",
        },
    )
    rule.refresh_from_db()
    assert (rule.prize, rule.promotion_level_id) == (12000, "GRADE2")
    listing = login(personas.haizhou).get("/competitions/rules/").content.decode()
    assert "直接晋升到技师" in listing and "连云港技能状元" in listing
    assert "/competitions/rules/%d/edit/" % rule.pk not in listing
