import datetime

import factory
from django.utils import timezone

from gongjiang.honours.models import SelectionRound


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    """A round open for nominations today, its 公示 in the days after."""

    class Meta:
        model = SelectionRound

    title_id = "may_day_medal"
    year = 2026
    name = factory.Sequence(lambda n: f"2026年市五一劳动奖章评选{n}")
    quota = 2
    nominations_close = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=5))
    publicity_start = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=6))
    publicity_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=12))
