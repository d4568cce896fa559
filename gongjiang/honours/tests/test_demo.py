"""seed_demo's competitions and honours: a published 市状元大赛 event and two rounds to compare."""

import io

import pytest
from django.core.management import call_command

from gongjiang.accounts.scope import SYSTEM
from gongjiang.competitions.models import Result
from gongjiang.honours.models import HonourAward, Nomination
from gongjiang.honours.selectors import round_shares

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_a_published_city_contest_and_two_rounds():
    call_command("seed_demo", persons=1500, password="Gongjiang@2026x", stdout=io.StringIO())
    results = Result.objects.filter(event__competition__tier="city", status="published")
    assert results.count() == 6
    assert results.exclude(certificate=None).count() == 5  # 优胜奖 does not promote
    assert HonourAward.objects.filter(title_id="skill_champion").count() == 1
    later, earlier = round_shares(user=SYSTEM)
    assert (earlier.nominated, earlier.selected, later.nominated, later.selected) == (6, 3, 6, 0)
    assert earlier.selected_share < earlier.nominated_share
    assert Nomination.objects.filter(status="submitted").count() == 6
    # Run again: nothing more.
    call_command("seed_demo", persons=1500, password="Gongjiang@2026x", stdout=io.StringIO())
    assert Result.objects.count() == 6
