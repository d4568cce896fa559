"""Nominations: eligibility reasons, the quota, objections during 公示, the share figures, and the
transition table of the nomination workflow written out literally."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongjiang.accounts.scope import OutOfScope
from gongjiang.competitions.tests.factories import competitor
from gongjiang.honours.choices import NominationStatus as S
from gongjiang.honours.models import HonourAward, Nomination, SelectionRound
from gongjiang.honours.selectors import round_shares
from gongjiang.honours.services import NominationData, nomination_create, nomination_transition
from gongjiang.honours.workflows import NOMINATION_WORKFLOW
from gongjiang.talents.services import certificate_revoke
from gongjiang.talents.tests.factories import CertificateFactory
from gongjiang.workflow.base import RESUBMIT

from .factories import SelectionRoundFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LONG_AGO = datetime.date(2015, 1, 1)


def _nominate(actor, rnd, person, since=LONG_AGO):
    return nomination_create(
        actor=actor,
        selection_round=rnd,
        data=NominationData(person=person, in_post_since=since, merits="带领班组完成技术攻关。"),
    )


def _staff(personas, level="GRADE3", **kwargs):
    return competitor(level=level, region_id="320706", employer=personas.org_haizhou, **kwargs)


def test_the_nomination_workflow_is_this_table():
    table = {
        (name, t.sources, t.target, t.permission, t.review)
        for name, t in NOMINATION_WORKFLOW.transitions.items()
    }
    assert table == {
        ("resubmit", (S.RETURNED,), RESUBMIT, "change", False),
        ("return", (S.SUBMITTED,), S.RETURNED, "decide", True),
        ("shortlist", (S.SUBMITTED,), S.PUBLICITY, "decide", True),
        ("object", (S.PUBLICITY,), None, "decide", False),
        ("select", (S.PUBLICITY,), S.SELECTED, "decide", True),
        ("reject", (S.SUBMITTED, S.PUBLICITY), S.NOT_SELECTED, "decide", True),
    }


def test_eligibility_failures_are_refused_with_every_reason(personas):
    rnd = SelectionRoundFactory(
        title_id="chief_technician"
    )  # 高级技师+, 5 years in post, none revoked in 3 years
    person = _staff(personas, level="GRADE4")
    revoked = CertificateFactory(person=person, level_id="GRADE4", issue_date=datetime.date(2021, 1, 1))
    certificate_revoke(actor=personas.city, certificate=revoked, reason="材料造假")
    with pytest.raises(ValidationError) as caught:
        _nominate(personas.org_operator, rnd, person, since=TODAY - datetime.timedelta(days=400))
    message = caught.value.messages[0]
    assert "最高有效等级为中级工，要求高级技师及以上" in message
    assert "任现职1年，要求至少5年" in message
    assert "近3年有1张证书被撤销" in message
    assert not Nomination.objects.exists()


def test_an_eligible_nomination_carries_the_record_and_the_checks(personas):
    rnd = SelectionRoundFactory(title_id="master_studio_leader")  # 技师+, 3 years, none revoked in 3 years
    person = _staff(personas, level="GRADE2")
    nomination = _nominate(personas.org_operator, rnd, person)
    assert nomination.status == S.SUBMITTED
    assert nomination.high_skilled is True
    assert [c["ok"] for c in nomination.checks] == [True, True, True]
    assert nomination.checks[0]["reason"] == "最高有效等级为技师，要求技师及以上"
    assert [c["level"] for c in nomination.record["certificates"]] == ["技师"]
    assert nomination.nominating_org_id == personas.org_haizhou.pk
    with pytest.raises(ValidationError, match="已在本轮被推荐"):
        _nominate(personas.org_operator, rnd, person)


def test_an_organisation_cannot_nominate_another_organisations_staff(personas):
    rnd = SelectionRoundFactory()
    with pytest.raises(OutOfScope):
        _nominate(personas.org_operator, rnd, competitor(level="GRADE3", region_id="320707"))


def test_nominations_close_on_the_closing_date(personas):
    rnd = SelectionRoundFactory()
    SelectionRound.objects.filter(pk=rnd.pk).update(nominations_close=TODAY - datetime.timedelta(days=1))
    rnd.refresh_from_db()
    with pytest.raises(ValidationError, match="推荐已于"):
        _nominate(personas.org_operator, rnd, _staff(personas))


def _in_publicity(personas, rnd, n):
    nominations = [_nominate(personas.org_operator, rnd, _staff(personas)) for _ in range(n)]
    for nomination in nominations:
        nomination_transition(actor=personas.city, nomination=nomination, action="shortlist")
    return nominations


def _publicity_over(rnd):
    SelectionRound.objects.filter(pk=rnd.pk).update(
        publicity_start=TODAY - datetime.timedelta(days=8), publicity_end=TODAY - datetime.timedelta(days=1)
    )


def test_objections_are_recorded_during_publicity_only(personas):
    rnd = SelectionRoundFactory()
    (nomination,) = _in_publicity(personas, rnd, 1)
    with pytest.raises(ValidationError, match="请填写异议内容"):
        nomination_transition(actor=personas.city, nomination=nomination, action="object")
    nomination = nomination_transition(
        actor=personas.city, nomination=nomination, action="object", reason="群众反映其获奖材料有误"
    )
    assert (nomination.status, nomination.objections) == (S.PUBLICITY, 1)
    assert nomination.events.filter(action="object", note="群众反映其获奖材料有误").count() == 1
    with pytest.raises(ValidationError, match="公示结束后才能确定入选"):
        nomination_transition(actor=personas.city, nomination=nomination, action="select")
    _publicity_over(rnd)
    with pytest.raises(ValidationError, match="不能再记录异议"):
        nomination_transition(actor=personas.city, nomination=nomination, action="object", reason="再次反映")


def test_selection_grants_the_honour_until_the_quota_is_reached(personas):
    rnd = SelectionRoundFactory(quota=2)
    first, second, third = _in_publicity(personas, rnd, 3)
    _publicity_over(rnd)
    for nomination in (first, second):
        nomination_transition(actor=personas.city, nomination=nomination, action="select")
    with pytest.raises(ValidationError, match="本轮名额已满（2名）"):
        nomination_transition(actor=personas.city, nomination=third, action="select")
    assert set(HonourAward.objects.values_list("person_id", flat=True)) == {first.person_id, second.person_id}
    assert set(HonourAward.objects.values_list("title_id", flat=True)) == {"may_day_medal"}
    nomination_transition(actor=personas.city, nomination=third, action="reject", reason="名额已满")


def test_the_nominator_cannot_decide_their_own_nomination(personas):
    rnd = SelectionRoundFactory()
    nomination = _nominate(personas.city, rnd, _staff(personas))
    with pytest.raises(ValidationError, match="推荐人不能审核本人提交的推荐"):
        nomination_transition(actor=personas.city, nomination=nomination, action="shortlist")


def test_share_figures_per_round_against_the_previous_round(personas):
    earlier = SelectionRoundFactory(year=2025, quota=5)
    later = SelectionRoundFactory(year=2026, quota=5)
    # 2025: 4 nominees, 1 high-skilled; 2 selected, 0 high-skilled.
    low = [_nominate(personas.org_operator, earlier, _staff(personas, level="GRADE4")) for _ in range(3)]
    high = _nominate(personas.org_operator, earlier, _staff(personas, level="GRADE3"))
    for n in [*low[:2], high]:
        nomination_transition(actor=personas.city, nomination=n, action="shortlist")
    _publicity_over(earlier)
    for n in low[:2]:
        nomination_transition(actor=personas.city, nomination=n, action="select")
    # 2026: 2 nominees, both high-skilled; 1 selected, high-skilled.
    a, _b = (_nominate(personas.org_operator, later, _staff(personas, level="GRADE2")) for _ in range(2))
    nomination_transition(actor=personas.city, nomination=a, action="shortlist")
    _publicity_over(later)
    nomination_transition(actor=personas.city, nomination=a, action="select")
    shares = {s.round.pk: s for s in round_shares(user=personas.city)}
    old, new = shares[earlier.pk], shares[later.pk]
    assert (old.nominated, old.nominated_high, old.selected, old.selected_high) == (4, 1, 2, 0)
    assert (old.nominated_share, old.selected_share, old.previous) == (0.25, 0.0, None)
    assert (new.nominated, new.nominated_high, new.selected, new.selected_high) == (2, 2, 1, 1)
    assert (new.nominated_share, new.selected_share) == (1.0, 1.0)
    assert new.previous is old and new.rising is True
    assert new.target == 0.3
    # A county sees its own region's nominations in the figures.
    ganyu_share = {s.round.pk: s for s in round_shares(user=personas.ganyu, region="320707")}[later.pk]
    assert (ganyu_share.nominated, ganyu_share.selected) == (0, 0)


def test_a_resubmitted_nomination_is_checked_and_its_record_attached_again(personas):
    rnd = SelectionRoundFactory()
    person = _staff(personas, level="GRADE4")
    nomination = _nominate(personas.org_operator, rnd, person)
    assert nomination.high_skilled is False
    nomination_transition(actor=personas.city, nomination=nomination, action="return", reason="请补充证书")
    CertificateFactory(person=person, level_id="GRADE3", issue_date=datetime.date(2026, 3, 1))
    nomination = nomination_transition(actor=personas.org_operator, nomination=nomination, action="resubmit")
    assert nomination.status == S.SUBMITTED
    assert nomination.high_skilled is True
    assert [c["level"] for c in nomination.record["certificates"]] == ["中级工", "高级工"]
