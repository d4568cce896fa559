"""Award rules and publication: each tier and award on crafted results, the youth and women's
titles, promotion at the ladder's top, republication, withdrawal. Expected outcomes are written
literally here (the seeded 2026 rules, competitions/migrations/0002_award_rules.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongjiang.accounts.models import AuditEntry
from gongjiang.competitions.choices import EventStatus, ResultStatus
from gongjiang.competitions.models import AwardRule
from gongjiang.competitions.services import award_rule_save, event_publish, result_record, result_withdraw
from gongjiang.honours.choices import AwardStatus
from gongjiang.honours.models import HonourAward
from gongjiang.honours.services import COMPETITION_TITLES
from gongjiang.talents.choices import CertificateSource, CertificateStatus

from .factories import CompetitionFactory, EventFactory, ResultFactory, competitor

pytestmark = pytest.mark.django_db

# tier, award, competitor's level before → (titles, prize, level after or None)
CASES = [
    ("worldskills", "gold", None, (["连云港市技术能手"], "500000.00", "GRADE1")),
    ("worldskills", "excellence", "GRADE4", (["连云港市技术能手"], "50000.00", "GRADE2")),
    ("national_1", "first", "GRADE2", (["连云港市技术能手"], "50000.00", "GRADE1")),
    (
        "national_1",
        "third",
        "GRADE2",
        (["连云港市技术能手"], "20000.00", "GRADE1"),
    ),  # at 技师 already: one more
    ("national_1", "excellence", "GRADE4", (["连云港市技能标兵"], "5000.00", "GRADE3")),
    ("national_2", "first", "GRADE4", (["连云港市技术能手"], "20000.00", "GRADE2")),
    ("national_2", "third", None, (["连云港市技能标兵"], "5000.00", "GRADE5")),
    ("province", "first", "GRADE3", (["连云港市技术能手"], "20000.00", "GRADE2")),
    ("province", "second", "GRADE3", (["连云港市技术能手"], "10000.00", "GRADE2")),
    ("city", "first", "GRADE4", (["连云港技能状元"], "10000.00", "GRADE3")),
    ("city", "second", "GRADE3", (["连云港市技术能手"], "5000.00", "GRADE2")),
    ("city", "third", "GRADE5", (["连云港市技能标兵"], "3000.00", "GRADE4")),
    ("city", "excellence", "GRADE4", (["连云港市技能标兵"], "1000.00", None)),
    ("trade", "first", "GRADE4", (["连云港市技能标兵"], "2000.00", "GRADE3")),
    ("trade", "second", "GRADE4", ([], "1000.00", None)),
    ("city", "none", "GRADE4", ([], "0.00", None)),
]


@pytest.mark.parametrize(("tier", "award", "before", "expected"), CASES)
def test_each_tier_and_award_grants_what_its_rule_says(personas, tier, award, before, expected):
    titles, prize, after = expected
    person = competitor(level=before)
    result = ResultFactory(
        event=EventFactory(competition=CompetitionFactory(tier=tier)), person=person, award=award
    )
    event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    result.refresh_from_db()
    assert result.status == ResultStatus.PUBLISHED
    assert sorted(HonourAward.objects.filter(person=person).values_list("title__name", flat=True)) == sorted(
        titles
    )
    assert result.prize == Decimal(prize)
    if after is None:
        assert result.certificate is None
    else:
        cert = result.certificate
        assert (cert.cert_type_id, cert.level_id, cert.source) == (
            "skill_level",
            after,
            CertificateSource.COMPETITION,
        )
        assert cert.issue_date == datetime.date.today()
        person.refresh_from_db()
        assert person.highest_level_id == after
        assert AuditEntry.objects.filter(action="certificate.create", object_id=str(cert.pk)).count() == 1


def test_youth_and_women_titles_only_where_the_organisers_award_them(personas):
    competition = CompetitionFactory(tier="city", held_on=datetime.date(2026, 5, 20), awards_youth_title=True)
    event = EventFactory(competition=competition)
    young_woman = competitor(birth=datetime.date(1991, 5, 21), female=True, level="GRADE4")  # 34 on the day
    thirty_five = competitor(birth=datetime.date(1991, 5, 20), level="GRADE4")  # 35 that very day
    ResultFactory(event=event, person=young_woman, award="second")
    ResultFactory(event=event, person=thirty_five, award="third")
    event_publish(actor=personas.city, event=event, titles=COMPETITION_TITLES)
    names = lambda p: set(HonourAward.objects.filter(person=p).values_list("title__name", flat=True))  # noqa: E731
    assert names(young_woman) == {"青年岗位能手", "连云港市技术能手"}  # no women's title: not awarded here
    assert names(thirty_five) == {"连云港市技能标兵"}

    women = EventFactory(competition=CompetitionFactory(tier="city", awards_women_title=True))
    woman = competitor(birth=datetime.date(1980, 1, 1), female=True, level="GRADE4")
    man = competitor(birth=datetime.date(1980, 1, 1), female=False, level="GRADE4")
    ResultFactory(event=women, person=woman, award="first")
    ResultFactory(event=women, person=man, award="first", rank=2)
    event_publish(actor=personas.city, event=women, titles=COMPETITION_TITLES)
    assert names(woman) == {"巾帼建功标兵", "连云港技能状元"}
    assert names(man) == {"连云港技能状元"}


@pytest.mark.parametrize(
    ("tier", "award", "before", "after", "note"),
    [
        ("worldskills", "gold", "GRADE1", None, "已是高级技师，不再晋升"),
        ("city", "first", "GRADE2", "GRADE1", "晋升一级：高级技师"),
        ("city", "first", "SPECIAL", None, "已是特级技师，不再晋升"),
        ("national_1", "third", "GRADE2", "GRADE1", "已具有技师，晋升高一级：高级技师"),
        ("national_1", "first", "GRADE3", "GRADE1", "直接晋升：高级技师"),
    ],
)
def test_promotion_never_goes_above_the_top_of_the_ladder(personas, tier, award, before, after, note):
    person = competitor()
    if before == "SPECIAL":
        from gongjiang.talents.tests.factories import CertificateFactory

        CertificateFactory(person=person, cert_type_id="appointment", level_id="SPECIAL")
    else:
        from gongjiang.talents.tests.factories import CertificateFactory

        CertificateFactory(person=person, level_id=before)
    result = ResultFactory(
        event=EventFactory(competition=CompetitionFactory(tier=tier)), person=person, award=award
    )
    event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    result.refresh_from_db()
    assert result.promotion_note == note
    assert (result.certificate.level_id if result.certificate else None) == after


def test_republishing_does_not_promote_or_grant_twice(personas):
    person = competitor(level="GRADE4")
    result = ResultFactory(event=EventFactory(), person=person, award="first")
    event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    with pytest.raises(ValidationError, match="没有新录入的成绩"):
        event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    late = ResultFactory(event=result.event, person=competitor(level="GRADE4"), award="second", rank=2)
    outcome = event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    assert (outcome.published, outcome.promotions) == (1, 1)
    assert person.certificates.filter(source=CertificateSource.COMPETITION).count() == 1
    assert HonourAward.objects.filter(person=person).count() == 1
    late.refresh_from_db()
    assert late.certificate.level_id == "GRADE3"
    assert result.event.__class__.objects.get(pk=result.event.pk).status == EventStatus.PUBLISHED


def test_a_published_result_cannot_be_recorded_over(personas):
    result = ResultFactory(event=EventFactory(), person=competitor(level="GRADE4"), award="first")
    event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    with pytest.raises(ValidationError, match="请先撤回"):
        result_record(actor=personas.city, event=result.event, person=result.person, award="second", rank=2)


def test_a_withdrawn_result_revokes_what_it_granted_and_may_be_recorded_again(personas):
    person = competitor(level="GRADE4")
    result = ResultFactory(event=EventFactory(), person=person, award="first")
    event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    result.refresh_from_db()
    certificate = result.certificate
    with pytest.raises(ValidationError):
        result_withdraw(actor=personas.city, result=result, reason="", titles=COMPETITION_TITLES)
    result_withdraw(
        actor=personas.city, result=result, reason="裁判复核后取消成绩", titles=COMPETITION_TITLES
    )
    certificate.refresh_from_db()
    person.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert person.highest_level_id == "GRADE4"
    assert list(HonourAward.objects.filter(person=person).values_list("status", flat=True)) == [
        AwardStatus.REVOKED
    ]
    result.refresh_from_db()
    assert (result.status, result.prize) == (ResultStatus.WITHDRAWN, None)
    # Recorded again (e.g. at a lower award) and republished: granted once more, from the new award.
    result_record(actor=personas.city, event=result.event, person=person, award="third", rank=3)
    event_publish(actor=personas.city, event=result.event, titles=COMPETITION_TITLES)
    standing = HonourAward.objects.filter(person=person, status=AwardStatus.GRANTED)
    assert list(standing.values_list("title__name", flat=True)) == ["连云港市技能标兵"]


def test_a_later_years_rule_replaces_the_earlier_from_its_year(personas):
    award_rule_save(
        actor=personas.city,
        rule=AwardRule(
            tier="city", award="first", year_from=2027, title_code="tech_expert", prize=Decimal("20000")
        ),
    )
    r2026 = ResultFactory(
        event=EventFactory(competition=CompetitionFactory(year=2026)), person=competitor(level="GRADE4")
    )
    r2027 = ResultFactory(
        event=EventFactory(competition=CompetitionFactory(year=2027)), person=competitor(level="GRADE4")
    )
    for r in (r2026, r2027):
        event_publish(actor=personas.city, event=r.event, titles=COMPETITION_TITLES)
        r.refresh_from_db()
    assert (r2026.titles, r2026.prize) == ("连云港技能状元", Decimal("10000.00"))
    assert (r2027.titles, r2027.prize, r2027.certificate) == ("连云港市技术能手", Decimal("20000.00"), None)


def test_an_unknown_title_code_refuses_the_whole_publication(personas):
    AwardRule.objects.filter(tier="city", award="first").update(title_code="no_such_title")
    ok = ResultFactory(event=EventFactory(), person=competitor(level="GRADE4"), award="second", rank=2)
    ResultFactory(event=ok.event, person=competitor(level="GRADE4"), award="first")
    with pytest.raises(ValidationError, match="no_such_title"):
        event_publish(actor=personas.city, event=ok.event, titles=COMPETITION_TITLES)
    ok.refresh_from_db()
    assert ok.status == ResultStatus.RECORDED
    assert not HonourAward.objects.exists()
    assert not ok.person.certificates.filter(source=CertificateSource.COMPETITION).exists()


def test_a_county_operator_cannot_publish(personas):
    result = ResultFactory(event=EventFactory(), person=personas.person_haizhou)
    from gongjiang.accounts.scope import OutOfScope

    with pytest.raises(OutOfScope):
        event_publish(actor=personas.haizhou, event=result.event, titles=COMPETITION_TITLES)
