"""Honours pages: an organisation nominates its staff with the record attached, the city takes the
steps; a county sees its region's nominations and its own share figures; out of scope is 404."""

import datetime

import pytest

from gongjiang.honours.models import Nomination

from .factories import SelectionRoundFactory

pytestmark = pytest.mark.django_db


def test_an_organisation_nominates_and_the_city_puts_it_to_publicity(personas, login):
    rnd = SelectionRoundFactory(title_id="tech_expert")
    client = login(personas.org_operator)
    refused = client.post(
        f"/honours/rounds/{rnd.pk}/nominate/",
        {"id_number": personas.person_ganyu.id_number, "in_post_since": "2015-01-01", "merits": "事迹"},
    )
    assert "不在您的数据范围内" in refused.content.decode()
    response = client.post(
        f"/honours/rounds/{rnd.pk}/nominate/",
        {"id_number": personas.person_haizhou.id_number, "in_post_since": "2015-01-01", "merits": "带队攻关"},
    )
    nomination = Nomination.objects.get()
    assert response["Location"] == f"/honours/nominations/{nomination.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="record"' in page and "高级工" in page
    assert "审核通过，列入公示" not in page  # the nominator cannot decide
    city = login(personas.city)
    city.post(f"/honours/nominations/{nomination.pk}/shortlist/")
    nomination.refresh_from_db()
    assert nomination.status == "publicity"
    city.post(f"/honours/nominations/{nomination.pk}/object/", {"reason": "反映其材料有误"})
    nomination.refresh_from_db()
    assert nomination.objections == 1
    assert "反映其材料有误" in city.get(f"/honours/nominations/{nomination.pk}/").content.decode()


def test_a_county_sees_its_own_nominations_and_figures(personas, login):
    from gongjiang.honours.services import NominationData, nomination_create

    rnd = SelectionRoundFactory(title_id="tech_expert")
    nomination = nomination_create(
        actor=personas.city,
        selection_round=rnd,
        data=NominationData(
            person=personas.person_ganyu, in_post_since=datetime.date(2015, 1, 1), merits="事迹"
        ),
    )
    haizhou = login(personas.haizhou)
    assert haizhou.get(f"/honours/nominations/{nomination.pk}/").status_code == 404
    page = haizhou.get("/honours/").content.decode()
    assert "本县区推荐" in page
    shares = haizhou.get("/honours/").context["shares"]
    assert [(s.nominated, s.nominated_high) for s in shares] == [(0, 0)]
    city_shares = login(personas.city).get("/honours/").context["shares"]
    assert [(s.nominated, s.nominated_high) for s in city_shares] == [(1, 1)]
    assert 'data-chart="honours"' in login(personas.city).get("/honours/").content.decode()
