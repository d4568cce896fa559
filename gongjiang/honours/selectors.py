"""Reads of honours: the registry, rounds and nominations in scope, eligibility, a person's record
as attached to a nomination, and the share of high-skilled nominees and selected per round."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import SYSTEM, scope
from gongjiang.carriers.models import Carrier
from gongjiang.competitions.choices import ResultStatus
from gongjiang.competitions.models import Result
from gongjiang.core.models import SkillLevel
from gongjiang.talents.choices import CertificateStatus
from gongjiang.talents.counting import counts_on, persons_high_skilled_on
from gongjiang.talents.models import Certificate, Person

from .choices import AwardStatus, NominationStatus
from .models import HonourAward, HonourTitle, Nomination, SelectionRound


def honour_titles() -> QuerySet[HonourTitle]:
    return HonourTitle.objects.select_related("min_level")


def award_list(*, user: User) -> QuerySet[HonourAward]:
    return HonourAward.objects.for_user(user).select_related("person", "title")


def person_honours(*, user: User, person: Person) -> QuerySet[HonourAward]:
    """The honours a person holds (standing and revoked), as ``user`` may see them."""
    return award_list(user=user).filter(person=person)


def round_list(*, user: User) -> QuerySet[SelectionRound]:
    return (
        SelectionRound.objects.for_user(user)
        .select_related("title")
        .annotate(
            nominated=Count("nominations"),
            selected=Count("nominations", filter=Q(nominations__status=NominationStatus.SELECTED)),
        )
    )


def nomination_list(*, user: User) -> QuerySet[Nomination]:
    return Nomination.objects.for_user(user).select_related(
        "person", "round__title", "nominating_org", "region"
    )


def _years_between(start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def eligibility_checks(
    *, title: HonourTitle, person: Person, in_post_since: datetime.date, on: datetime.date
) -> list[dict]:
    """The title's rules (data) applied to the person on ``on``: [{check, ok, reason}], each
    reason saying what was found against what is required."""
    checks = []
    if title.min_level_id:
        top = (
            Certificate.objects.filter(person=person, level__isnull=False)
            .select_related("level")
            .order_by("-level__rank")
        )
        current = next((c.level for c in top if counts_on(c, on)), None)
        ok = current is not None and current.rank >= title.min_level.rank
        checks.append(
            {
                "check": "最低技能等级",
                "ok": ok,
                "reason": "最高有效等级为%s，要求%s及以上"
                % (current.name if current else "无", title.min_level.name),
            }
        )
    if title.min_years_in_post:
        years = _years_between(in_post_since, on) if in_post_since <= on else 0
        checks.append(
            {
                "check": "任现职年限",
                "ok": years >= title.min_years_in_post,
                "reason": "任现职%d年，要求至少%d年" % (years, title.min_years_in_post),
            }
        )
    if title.clean_years:
        since = (
            on.replace(year=on.year - title.clean_years)
            if not (on.month == 2 and on.day == 29)
            else on - datetime.timedelta(days=365 * title.clean_years)
        )
        revoked = Certificate.objects.filter(
            person=person, status=CertificateStatus.REVOKED, revoked_at__date__gte=since
        ).count()
        checks.append(
            {
                "check": "近%d年无被撤销证书" % title.clean_years,
                "ok": revoked == 0,
                "reason": "近%d年有%d张证书被撤销" % (title.clean_years, revoked)
                if revoked
                else "近%d年没有被撤销的证书" % title.clean_years,
            }
        )
    return checks


def person_record(*, person: Person, on: datetime.date) -> dict:
    """The person's record as attached to a nomination (kept as it stood on ``on``): certificates,
    honours held, published competition awards, carriers led, and whether high-skilled that day."""
    levels = dict(SkillLevel.objects.values_list("code", "name"))
    certificates = [
        {
            "number": c.number,
            "level": levels.get(c.level_id, "—") if c.level_id else "—",
            "occupation": c.occupation_name,
            "issuer": c.issuer,
            "issue_date": c.issue_date.isoformat(),
            "status": c.get_status_display(),
        }
        for c in Certificate.objects.filter(person=person).order_by("issue_date", "id")
    ]
    honours = [
        {"title": a.title.name, "granted_on": a.granted_on.isoformat(), "note": a.note}
        for a in HonourAward.objects.filter(person=person, status=AwardStatus.GRANTED).select_related("title")
    ]
    awards = [
        {
            "competition": r.event.competition.name,
            "event": r.event.name,
            "award": r.get_award_display(),
            "rank": r.rank,
        }
        for r in Result.objects.filter(person=person, status=ResultStatus.PUBLISHED).select_related(
            "event__competition"
        )
    ]
    carriers = [
        {
            "name": c.name,
            "type": c.carrier_type.name,
            "level": c.get_level_display(),
            "status": c.get_status_display(),
        }
        for c in Carrier.objects.filter(leader=person).select_related("carrier_type")
    ]
    return {
        "on": on.isoformat(),
        "high_skilled": persons_high_skilled_on(on).filter(pk=person.pk).exists(),
        "certificates": certificates,
        "honours": honours,
        "competition_awards": awards,
        "carriers": carriers,
    }


@dataclass
class RoundShare:
    """The share of high-skilled among a round's nominees and among those selected, beside the
    previous round of the same title (measure 八: 适当提高高技能人才入选比例)."""

    round: SelectionRound
    nominated: int
    nominated_high: int
    selected: int
    selected_high: int
    previous: RoundShare | None = None

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def nominated_share(self) -> float | None:
        return self._share(self.nominated_high, self.nominated)

    @property
    def selected_share(self) -> float | None:
        return self._share(self.selected_high, self.selected)

    @property
    def target(self) -> float | None:
        t = self.round.title.target_high_share
        return float(t) if t is not None else None

    @property
    def rising(self) -> bool | None:
        """Whether the selected share rose against the previous round (None: nothing to compare)."""
        if self.previous is None or self.selected_share is None or self.previous.selected_share is None:
            return None
        return self.selected_share > self.previous.selected_share


def round_shares(*, user: User, region: str | None = None) -> list[RoundShare]:
    """Per round in ``user``'s scope (newest first), the share figures, each with the previous
    round of the same title. Counted over every nomination of the round (the round's figures are
    the city's; a county sees its own nominations with ``region``)."""
    rounds = list(
        SelectionRound.objects.for_user(user)
        .select_related("title")
        .order_by("title__sort_order", "year", "id")
    )
    nominations = scope(Nomination.objects.all(), SYSTEM).exclude(status=NominationStatus.RETURNED)
    if region:
        nominations = nominations.filter(Q(region_id=region) | Q(region__parent_id=region))
    counts = {
        row["round"]: row
        for row in nominations.values("round").annotate(
            n=Count("pk"),
            nh=Count("pk", filter=Q(high_skilled=True)),
            s=Count("pk", filter=Q(status=NominationStatus.SELECTED)),
            sh=Count("pk", filter=Q(status=NominationStatus.SELECTED, high_skilled=True)),
        )
    }
    shares: list[RoundShare] = []
    last_of_title: dict[str, RoundShare] = {}
    for rnd in rounds:
        c = counts.get(rnd.pk, {})
        share = RoundShare(rnd, c.get("n", 0), c.get("nh", 0), c.get("s", 0), c.get("sh", 0))
        share.previous = last_of_title.get(rnd.title_id)
        last_of_title[rnd.title_id] = share
        shares.append(share)
    return list(reversed(shares))


def share_chart(shares: list[RoundShare]) -> dict:
    """The share figures as the charts draw them (percentages, newest first)."""
    return {
        "rounds": [
            {
                "label": s.round.name,
                "nominated": s.nominated,
                "selected": s.selected,
                "nominated_share": round(s.nominated_share * 100, 1)
                if s.nominated_share is not None
                else None,
                "selected_share": round(s.selected_share * 100, 1) if s.selected_share is not None else None,
                "target": round(s.target * 100, 1) if s.target is not None else None,
            }
            for s in shares
        ]
    }


def honours_dashboard(*, region: str | None, year: int) -> dict:
    """For the targets dashboard: honours granted in ``year`` by title, and the latest rounds' share
    of high-skilled selected (city-wide, or the county's own with ``region``)."""
    awards = scope(HonourAward.objects.all(), SYSTEM).filter(
        status=AwardStatus.GRANTED, granted_on__year=year
    )
    if region:
        awards = awards.filter(Q(person__region_id=region) | Q(person__region__parent_id=region))
    by_title = [
        {"label": r["title__name"], "count": r["n"]}
        for r in awards.values("title__name", "title__sort_order")
        .annotate(n=Count("pk"))
        .order_by("title__sort_order")
    ]
    shares = round_shares(user=SYSTEM, region=region)[:6]
    return {"year": year, "by_title": by_title, **share_chart(shares)}
