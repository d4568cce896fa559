"""Random sequences of nomination steps by random roles; after each step the invariants of the one
workflow mechanism hold, and the honours granted never exceed the quota (literal deadlines: the
seeded rows, 20 days at review and 10 for 补正)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjiang.accounts.models import AuditEntry
from gongjiang.competitions.tests.factories import competitor
from gongjiang.honours.models import HonourAward, Nomination, SelectionRound
from gongjiang.honours.services import NominationData, nomination_create, nomination_transition

from .factories import SelectionRoundFactory

pytestmark = pytest.mark.django_db

STATES = {"submitted", "returned", "publicity", "selected", "not_selected"}
DAYS = {"submitted": 20, "returned": 10}
ROLES = ["city", "haizhou", "ganyu", "org_operator", "department"]
ACTIONS = ["shortlist", "return", "resubmit", "object", "select", "reject", "end_publicity"]


def _snapshot(obj):
    obj = Nomination.objects.get(pk=obj.pk)
    return (obj.status, obj.due_on, obj.objections, obj.events.count(), AuditEntry.objects.count())


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ROLES), st.integers(0, 2)), max_size=25
    )
)
def test_nomination_invariants_hold_for_any_sequence(personas, steps):
    rnd = SelectionRoundFactory(quota=1)
    nominations = [
        nomination_create(
            actor=personas.org_operator,
            selection_round=rnd,
            data=NominationData(
                person=competitor(level="GRADE3", region_id="320706", employer=personas.org_haizhou),
                in_post_since=datetime.date(2015, 1, 1),
                merits="事迹",
            ),
        )
        for _ in range(3)
    ]
    accepted = {n.pk: 1 for n in nominations}
    for action, role, which in steps:
        if action == "end_publicity":
            SelectionRound.objects.filter(pk=rnd.pk).update(
                publicity_end=datetime.date.today() - datetime.timedelta(days=1)
            )
            continue
        nomination = nominations[which]
        before = _snapshot(nomination)
        try:
            nomination_transition(
                actor=getattr(personas, role), nomination=nomination, action=action, reason="理由说明"
            )
        except (ValidationError, PermissionDenied):
            assert _snapshot(nomination) == before, f"refused {action} by {role} changed something"
        else:
            accepted[nomination.pk] += 1
        nomination.refresh_from_db()
        assert nomination.status in STATES
        assert nomination.events.count() == accepted[nomination.pk]
        if nomination.status in DAYS:
            assert nomination.due_on == nomination.step_started_on + datetime.timedelta(
                days=DAYS[nomination.status]
            )
        else:
            assert nomination.due_on is None
        selected = Nomination.objects.filter(round=rnd, status="selected").count()
        assert selected <= 1
        refs = ["honours.nomination:%d" % n.pk for n in nominations]
        assert HonourAward.objects.filter(source_ref__in=refs).count() == selected
