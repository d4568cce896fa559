"""Indicator truth: a promotion published from a competition counts as new high-skilled from the
publication date, and the dashboard still equals the raw recomputation and the Python oracle."""

import datetime

import pytest

from gongjiang.competitions.services import event_publish, result_withdraw
from gongjiang.honours.services import COMPETITION_TITLES
from gongjiang.stats.figures import figures_from_raw
from gongjiang.stats.selectors import dashboard
from gongjiang.stats.services import stats_refresh_all
from gongjiang.stats.tests.factories import build_crafted
from gongjiang.stats.tests.test_recompute import oracle

from .factories import CompetitionFactory, EventFactory, ResultFactory, competitor

pytestmark = pytest.mark.django_db


def test_published_promotions_count_on_the_dashboard_as_the_oracle_says(personas):
    build_crafted(actor=personas.city)
    stats_refresh_all()
    before = dashboard(user=personas.city)
    event = EventFactory(competition=CompetitionFactory(tier="city"))
    champion = competitor(level="GRADE4", region_id="320707")  # promoted to 高级工: newly high-skilled
    already = competitor(level="GRADE3", region_id="320706")  # promoted to 技师: high-skilled already
    ResultFactory(event=event, person=champion, award="first")
    ResultFactory(event=event, person=already, award="second", rank=2)
    stats_refresh_all()
    middle = dashboard(user=personas.city)  # the two competitors, before publication
    event_publish(actor=personas.city, event=event, titles=COMPETITION_TITLES)
    stats_refresh_all()
    after = dashboard(user=personas.city)
    champion.refresh_from_db()
    assert champion.high_skilled_since == datetime.date.today()
    assert after.figures.total.new_high == middle.figures.total.new_high + 1
    assert after.figures.total.high == before.figures.total.high + 2
    assert after.figures.as_dict() == figures_from_raw(on=after.on).as_dict() == oracle(on=after.on)
    assert after.competitions["promoted"] == 2
    ganyu = dashboard(user=personas.ganyu)
    assert ganyu.competitions["promoted"] == 1  # a county sees its own people's promotions

    # Withdrawn: the promotion certificate is revoked and the count goes back, still equal to the oracle.
    from gongjiang.competitions.models import Result

    result_withdraw(
        actor=personas.city,
        result=Result.objects.get(person=champion),
        reason="成绩复核取消",
        titles=COMPETITION_TITLES,
    )
    stats_refresh_all()
    last = dashboard(user=personas.city)
    assert last.figures.total.new_high == middle.figures.total.new_high
    assert last.figures.as_dict() == figures_from_raw(on=last.on).as_dict() == oracle(on=last.on)
    assert last.competitions["promoted"] == 1
