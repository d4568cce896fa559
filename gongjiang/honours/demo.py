"""Demo competitions and honours for seed_demo: one 2026 连云港技能状元大赛 event with published
results (titles, prize money, promotion certificates), and two rounds of 市五一劳动奖章 (2025 decided,
2026 in progress) so the high-skilled share has a previous round to compare with. Through the
services, deterministic, once (nothing when a competition exists or the accounts are missing)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.competitions.models import Competition, Event
from gongjiang.competitions.services import competition_create, event_create, event_publish, result_record
from gongjiang.talents.models import Person

from .models import SelectionRound
from .services import (
    COMPETITION_TITLES,
    NominationData,
    nomination_create,
    nomination_transition,
    round_create,
)

AWARDS = [("first", 1), ("second", 2), ("second", 3), ("third", 4), ("third", 5), ("excellence", 6)]
MERITS = "爱岗敬业，带领班组完成多项技术革新，培养徒弟十余名。"


def seed_honours(rng: random.Random) -> dict[str, int]:
    city = User.objects.filter(username="city").first()
    county = User.objects.filter(username="haizhou").first()
    if Competition.objects.exists() or city is None or county is None or not Person.objects.exists():
        return {}
    with transaction.atomic():
        return _generate(rng, city, county)


def _generate(rng: random.Random, city: User, county: User) -> dict[str, int]:
    today = timezone.localdate()
    occupation = (
        Person.objects.exclude(occupation=None)
        .values_list("occupation", flat=True)
        .annotate(n=Count("id"))
        .order_by("-n", "occupation")
        .first()
    )
    competition = competition_create(
        actor=city,
        competition=Competition(
            name="%d年连云港技能状元大赛" % today.year,
            tier="city",
            year=today.year,
            organiser="连云港市人力资源和社会保障局、连云港市总工会",
            held_on=min(today, datetime.date(today.year, 5, 20)),
            awards_youth_title=True,
        ),
    )
    event = event_create(
        actor=city, event=Event(competition=competition, name="焊工", occupation_id=occupation)
    )
    candidates = list(
        Person.objects.filter(highest_level_id__in=["GRADE4", "GRADE3"], region_id="320706").order_by("id")[
            :60
        ]
    )
    for (award, rank), person in zip(
        AWARDS, rng.sample(candidates, min(len(AWARDS), len(candidates))), strict=False
    ):
        result_record(actor=city, event=event, person=person, award=award, rank=rank)
    outcome = event_publish(actor=city, event=event, titles=COMPETITION_TITLES)

    # Two rounds of 市五一劳动奖章, nominated by the 海州 county, decided by the city.
    pool = list(
        Person.objects.filter(region_id="320706")
        .exclude(highest_level=None)
        .exclude(certificates__status="revoked")  # the 五一 rule: no revoked certificate in 3 years
        .order_by("id")[:300]
    )
    high = [p for p in pool if p.is_high_skilled]
    low = [p for p in pool if not p.is_high_skilled]
    since = datetime.date(2015, 3, 1)
    counts = {"results": outcome.published, "nominations": 0}
    for year, n_high, n_low, selected in ((today.year - 1, 2, 4, 3), (today.year, 4, 2, 0)):
        rnd = round_create(
            actor=city,
            selection_round=SelectionRound(
                title_id="may_day_medal",
                year=year,
                name="%d年市五一劳动奖章评选" % year,
                quota=4,
                nominations_close=today + datetime.timedelta(days=10),
                publicity_start=today + datetime.timedelta(days=11),
                publicity_end=today + datetime.timedelta(days=17),
            ),
        )
        people = rng.sample(high, min(n_high, len(high))) + rng.sample(low, min(n_low, len(low)))
        high = [p for p in high if p not in people]
        low = [p for p in low if p not in people]
        nominations = [
            nomination_create(
                actor=county,
                selection_round=rnd,
                data=NominationData(person=p, in_post_since=since, merits=MERITS),
            )
            for p in people
        ]
        counts["nominations"] += len(nominations)
        if not selected:
            continue  # this year's round waits for the city's review
        for nomination in nominations:
            nomination_transition(actor=city, nomination=nomination, action="shortlist")
        # The past round's dates, then its decisions: the low-skilled majority selected first (the
        # share the city wants to see rise this year).
        SelectionRound.objects.filter(pk=rnd.pk).update(
            nominations_close=datetime.date(year, 4, 1),
            publicity_start=datetime.date(year, 4, 10),
            publicity_end=datetime.date(year, 4, 17),
        )
        chosen = sorted(nominations, key=lambda n: n.high_skilled)[:selected]
        for nomination in nominations:
            action = "select" if nomination in chosen else "reject"
            nomination_transition(
                actor=city,
                nomination=nomination,
                action=action,
                reason="" if action == "select" else "名额所限",
            )
    return counts
