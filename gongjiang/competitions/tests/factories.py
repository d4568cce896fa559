"""Competitions, events and results as the services leave them, and competitors of a given age,
sex and level."""

import datetime
import random

import factory

from gongjiang.common.demo import make_resident_id
from gongjiang.competitions.choices import Tier
from gongjiang.competitions.models import Competition, Event, Result
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

_rng = random.Random(7_919)


def competitor(
    *,
    birth: datetime.date = datetime.date(1985, 5, 1),
    female: bool = False,
    level: str | None = None,
    **person,
):
    """A person born on ``birth``, of the given sex, holding a valid certificate at ``level``."""
    found = PersonFactory(id_number=make_resident_id(_rng, birth=birth, female=female), **person)
    if level:
        CertificateFactory(person=found, level_id=level, issue_date=datetime.date(2020, 6, 1))
        found.refresh_from_db()
    return found


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"2026年测试技能竞赛{n}")
    tier = Tier.CITY
    year = 2026
    organiser = "连云港市人力资源和社会保障局"
    held_on = datetime.date(2026, 5, 20)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    competition = factory.SubFactory(CompetitionFactory)
    name = factory.Sequence(lambda n: f"焊工项目{n}")


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    award = "first"
    rank = 1
