"""The talent's own home: where a talent lands, what it shows, what the navigation offers."""

import datetime

import pytest

from gongjiang.portal.tokens import certificate_token
from gongjiang.talents.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_talent_lands_on_own_home_and_operators_do_not(client, personas):
    client.force_login(personas.talent)
    assert client.get("/")["Location"] == "/me/"
    client.force_login(personas.haizhou)
    assert client.get("/")["Location"] == "/talents/persons/"


def test_home_shows_certificates_newest_first_with_status_qr_and_high_skilled_date(client, personas):
    person = personas.person_haizhou
    CertificateFactory(person=person, number="OLD-1", level_id="GRADE4", issue_date=datetime.date(2019, 5, 1))
    revoked = CertificateFactory(
        person=person, number="REV-1", status="revoked", issue_date=datetime.date(2026, 6, 1)
    )
    client.force_login(personas.talent)
    page = client.get("/me/").content.decode()
    assert page.index("REV-1") < page.index("OLD-1")  # newest first
    assert 'data-testid="my-certificate-count">3 张' in page
    assert page.count('data-testid="verify-qr"') == 3 and "data:image/svg+xml" in page
    assert "/verify/c/%s" % certificate_token(revoked.pk) in page
    assert ">已撤销<" in page
    assert "高技能人才" in page and "自 2026年3月1日" in page
    assert person.id_number not in page and person.id_masked in page


def test_home_lists_carriers_the_talent_leads(client, personas):
    from gongjiang.carriers.tests.factories import RecognisedCarrierFactory

    RecognisedCarrierFactory(
        leader=personas.person_haizhou, host=personas.org_haizhou, name="张师傅技能大师工作室"
    )
    RecognisedCarrierFactory(leader=personas.person_ganyu, host=personas.org_ganyu, name="别人的工作室")
    client.force_login(personas.talent)
    page = client.get("/me/").content.decode()
    assert "张师傅技能大师工作室" in page and "别人的工作室" not in page


def test_talent_navigation_offers_only_the_talents_pages(client, personas):
    client.force_login(personas.talent)
    response = client.get("/me/")
    labels = [item["label"] for item in response.context["nav_items"]]
    assert labels == ["我的技能档案", "人才待遇", "更正申请", "证书查验", "培训目录"]
    assert [item["active"] for item in response.context["nav_items"]] == [True, False, False, False, False]
