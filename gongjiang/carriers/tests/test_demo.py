"""seed_demo's carriers: a few dozen across types, levels and statuses, consistent with the rules."""

import datetime
import io
import math

import pytest
from django.core.management import call_command

from gongjiang.accounts.models import User
from gongjiang.carriers.models import Carrier, CarrierAssessment, allowed_levels
from gongjiang.carriers.selectors import (
    carrier_todo,
    carriers_in_assessment,
    carriers_toward_target,
    rule_for,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_carriers_across_types_levels_and_statuses():
    call_command("seed_demo", persons=1500, password="Gongjiang@2026x", stdout=io.StringIO())
    carriers = Carrier.objects.all()
    assert 30 <= carriers.count() <= 40
    assert set(carriers.values_list("status", flat=True)) == {
        "county_review",
        "returned",
        "city_review",
        "recognised",
        "rejected",
        "revoked",
    }
    assert carriers.values("carrier_type").distinct().count() >= 8
    assert {"county", "city", "province", "national"} <= set(carriers.values_list("level", flat=True))
    assert carriers.filter(first_recognised_on__year=2026).count() >= 5
    assert carriers.filter(first_recognised_on__lt=datetime.date(2026, 1, 1)).count() >= 10
    upgraded = carriers.get(events__action="upgrade", first_recognised_on__year=2026)
    assert (upgraded.level, upgraded.city_level_since.year) == ("province", 2026)
    assert upgraded in carriers_toward_target()
    for carrier in carriers.exclude(level="").select_related("carrier_type"):
        assert carrier.level in allowed_levels(carrier.carrier_type)
    # 优秀 never beyond the type's share
    for type_id, year in set(CarrierAssessment.objects.values_list("carrier__carrier_type", "year")):
        base = carriers_in_assessment(carrier_type_id=type_id, year=year).count()
        excellent = CarrierAssessment.objects.filter(
            carrier__carrier_type=type_id, year=year, result="excellent"
        )
        assert excellent.count() <= math.floor(rule_for(type_id).excellent_share * base)
    # the demo accounts find something to do
    assert any(i.overdue for i in carrier_todo(user=User.objects.get(username="haizhou")))
    assert carrier_todo(user=User.objects.get(username="org"))[0].task == "补正后重新提交"
    assert [i.task for i in carrier_todo(user=User.objects.get(username="city"))].count("市级评审") >= 1

    # 申报时间 is the moment of the first history entry (the declaration)
    for carrier in carriers.exclude(submitted_at=None):
        first = carrier.events.order_by("at", "id").first()
        assert (first.action, first.at) == ("declare", carrier.submitted_at), carrier.name

    call_command("seed_demo", persons=1500, password="Gongjiang@2026y", stdout=io.StringIO())
    assert Carrier.objects.count() == carriers.count()
