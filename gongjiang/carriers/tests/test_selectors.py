"""The count toward 新建市级以上培养载体 (goal 20 in 2026–2030), on crafted dates."""

import datetime

import pytest

from gongjiang.carriers import services
from gongjiang.carriers.models import Carrier
from gongjiang.carriers.selectors import (
    carrier_catalogue,
    carriers_toward_target,
    carriers_toward_target_count,
)
from gongjiang.carriers.tests.factories import CarrierFactory, RecognisedCarrierFactory
from gongjiang.core.models import Region
from gongjiang.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_first_recognition_on_2025_12_31_does_not_count_and_2026_01_01_does(db):
    before = RecognisedCarrierFactory(recognised_on=D(2025, 12, 31))
    first_day = RecognisedCarrierFactory(recognised_on=D(2026, 1, 1))
    assert set(carriers_toward_target(on=D(2026, 11, 24))) == {first_day}
    assert before not in carriers_toward_target(on=D(2026, 11, 24))
    assert carriers_toward_target_count(on=D(2025, 12, 31)) == 0
    assert carriers_toward_target_count(on=D(2026, 1, 1)) == 1


def test_an_upgrade_counts_once(personas):
    counted = RecognisedCarrierFactory(recognised_on=D(2026, 2, 1))
    services.carrier_upgrade(actor=personas.city, carrier=counted, level="province", on=D(2026, 6, 1))
    services.carrier_upgrade(actor=personas.city, carrier=counted, level="national", on=D(2026, 9, 1))
    # recognised at 市级 before 2026 and upgraded to 省级 in 2026: not new in the period
    old = RecognisedCarrierFactory(recognised_on=D(2024, 3, 1))
    services.carrier_upgrade(actor=personas.city, carrier=old, level="province", on=D(2026, 3, 1))
    assert list(carriers_toward_target(on=D(2026, 11, 24))) == [counted]
    assert carriers_toward_target_count(on=D(2026, 11, 24)) == 1


def test_county_level_counts_from_its_upgrade_to_city_level(personas):
    station = RecognisedCarrierFactory(
        carrier_type_id="rural_master_studio", level="city", recognised_on=D(2026, 4, 1)
    )
    county_only = RecognisedCarrierFactory(
        carrier_type_id="rural_craftsman_station", level="county", recognised_on=D(2026, 4, 1)
    )
    assert county_only not in carriers_toward_target(on=D(2026, 11, 24))  # type does not count either
    assert station in carriers_toward_target(on=D(2026, 11, 24))


def test_only_the_five_target_types_count(db):
    counted = [
        RecognisedCarrierFactory(carrier_type_id=code, recognised_on=D(2026, 3, 1))
        for code in (
            "industry_education_base",
            "hs_training_base",
            "skill_master_studio",
            "rural_master_studio",
            "model_worker_studio",
        )
    ]
    for code in ("public_training_base", "famous_teacher_studio", "competition_training_base"):
        RecognisedCarrierFactory(carrier_type_id=code, level="province", recognised_on=D(2026, 3, 1))
    assert set(carriers_toward_target(on=D(2026, 11, 24))) == set(counted)


def test_declarations_under_review_and_revoked_carriers_do_not_count(personas):
    CarrierFactory()  # declared, not recognised
    revoked = RecognisedCarrierFactory(recognised_on=D(2026, 2, 1))
    services.carrier_revoke(actor=personas.city, carrier=revoked, reason="考核不合格", on=D(2026, 8, 1))
    assert carriers_toward_target_count(on=D(2026, 7, 31)) == 1  # counted while it stood
    assert carriers_toward_target_count(on=D(2026, 8, 1)) == 0


def test_period_ends_on_2030_12_31_and_region_narrows(db):
    in_haizhou = RecognisedCarrierFactory(recognised_on=D(2026, 3, 1))
    assert in_haizhou.region_id == "320706"
    in_ganyu = RecognisedCarrierFactory(
        host=OrganisationFactory(region_id="320707"), recognised_on=D(2026, 3, 2)
    )
    assert set(carriers_toward_target(on=D(2026, 11, 24), region="320707")) == {in_ganyu}
    assert carriers_toward_target_count(on=D(2026, 11, 24), region="320700") == 2  # the city: all
    assert carriers_toward_target_count(on=D(2026, 11, 24), region=Region.objects.get(pk="320706")) == 1
    # a carrier first recognised in 2031 would not count, however late the date asked about
    Carrier.objects.filter(pk=in_ganyu.pk).update(city_level_since=D(2031, 1, 1))
    assert carriers_toward_target_count(on=D(2031, 6, 1)) == 1


def test_catalogue_holds_recognised_carriers_only(db):
    recognised = RecognisedCarrierFactory()
    CarrierFactory()
    RecognisedCarrierFactory(status="revoked", revoked_on=D(2026, 8, 1))
    assert list(carrier_catalogue()) == [recognised]
