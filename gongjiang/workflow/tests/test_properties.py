"""Random sequences of actions by random roles on a carrier and on an evaluation batch; after each
step the invariants of the one workflow mechanism must hold:

- the state is always one the workflow declares;
- the history has one row per accepted step (and the first row for the submission);
- a refused step changes nothing (state, deadline, history, audit);
- deadlines follow the rules (literal here: the seeded rules of 高技能人才培训基地 and of batches).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjiang.accounts.models import AuditEntry
from gongjiang.carriers import services as carrier_services
from gongjiang.carriers.models import Carrier
from gongjiang.carriers.services import CarrierData
from gongjiang.evaluation.models import Batch
from gongjiang.evaluation.services import batch_transition
from gongjiang.evaluation.tests.factories import BatchFactory, CandidateFactory, FilingFactory
from gongjiang.talents.tests.factories import PersonFactory
from gongjiang.workflow.models import Event

pytestmark = pytest.mark.django_db

CARRIER_STATES = {"county_review", "returned", "city_review", "recognised", "rejected", "revoked"}
# The seeded rule of hs_training_base (carriers/rules.py): county 20, 补正 15, city 45 days.
CARRIER_DAYS = {"county_review": 20, "returned": 15, "city_review": 45}
BATCH_STATES = {"planned", "reported", "returned", "published", "cancelled"}
BATCH_DAYS = {"reported": 15, "returned": 15}  # the seeded StepDeadline rows

ROLES = ["city", "haizhou", "ganyu", "org_operator", "department"]
CARRIER_ACTIONS = [
    "county_pass",
    "return",
    "reject",
    "resubmit",
    "score",
    "recognise",
    "assess",
    "upgrade",
    "revoke",
]
BATCH_ACTIONS = ["report", "return", "publish", "cancel"]
PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _snapshot(obj):
    obj = type(obj).objects.get(pk=obj.pk)
    return (obj.status, obj.due_on, obj.step_started_on, obj.events.count(), AuditEntry.objects.count())


def _check_deadline(obj, days: dict[str, int]) -> None:
    if obj.status in days:
        assert obj.due_on == obj.step_started_on + datetime.timedelta(days=days[obj.status])
    else:
        assert obj.due_on is None


def _take_carrier(carrier: Carrier, action: str, actor, n: int) -> None:
    today = timezone.localdate()
    calls = {
        "county_pass": lambda: carrier_services.carrier_county_pass(actor=actor, carrier=carrier),
        "return": lambda: carrier_services.carrier_return(actor=actor, carrier=carrier, note="请补充材料"),
        "reject": lambda: carrier_services.carrier_reject(actor=actor, carrier=carrier, note="条件不符"),
        "resubmit": lambda: carrier_services.carrier_resubmit(actor=actor, carrier=carrier),
        "score": lambda: carrier_services.carrier_score_add(
            actor=actor, carrier=carrier, expert_name="专家%d" % n, score=Decimal(85)
        ),
        "recognise": lambda: carrier_services.carrier_recognise(
            actor=actor, carrier=carrier, level="city", on=today
        ),
        "assess": lambda: carrier_services.carrier_assess(
            actor=actor, carrier=carrier, year=today.year, result="qualified"
        ),
        "upgrade": lambda: carrier_services.carrier_upgrade(
            actor=actor, carrier=carrier, level="province", on=today
        ),
        "revoke": lambda: carrier_services.carrier_revoke(actor=actor, carrier=carrier, reason="考核不合格"),
    }
    calls[action]()


@PROPERTY_SETTINGS
@given(steps=st.lists(st.tuples(st.sampled_from(CARRIER_ACTIONS), st.sampled_from(ROLES)), max_size=25))
def test_carrier_workflow_invariants_hold_for_any_sequence(personas, steps):
    leader = PersonFactory(employer=personas.org_haizhou, region_id="320706")
    carrier = carrier_services.carrier_declare(
        actor=personas.org_operator,
        data=CarrierData(
            name="性质测试培训基地",
            carrier_type_id="hs_training_base",
            applied_level="city",
            host_id=personas.org_haizhou.pk,
            leader_id=leader.pk,
            region_id="320706",
            domain_id="advanced_manufacturing",
        ),
    )
    accepted = 1  # the declaration
    for n, (action, role) in enumerate(steps):
        before = _snapshot(carrier)
        try:
            _take_carrier(carrier, action, getattr(personas, role), n)
        except (ValidationError, PermissionDenied):
            assert _snapshot(carrier) == before, f"refused {action} by {role} changed something"
        else:
            accepted += 1
        carrier.refresh_from_db()
        assert carrier.status in CARRIER_STATES
        assert carrier.events.count() == accepted
        _check_deadline(carrier, CARRIER_DAYS)


@PROPERTY_SETTINGS
@given(steps=st.lists(st.tuples(st.sampled_from(BATCH_ACTIONS), st.sampled_from(ROLES)), max_size=20))
def test_batch_workflow_invariants_hold_for_any_sequence(personas, steps):
    filing = FilingFactory(organisation=personas.org_haizhou)
    batch = BatchFactory(filing=filing, planned_by=personas.org_operator)
    CandidateFactory(batch=batch, passed=True, score=Decimal(75))
    accepted = 0
    for action, role in steps:
        before = _snapshot(batch)
        try:
            batch_transition(
                actor=getattr(personas, role), batch=batch, action=action, reason="请补充考评记录"
            )
        except (ValidationError, PermissionDenied):
            assert _snapshot(batch) == before, f"refused {action} by {role} changed something"
        else:
            accepted += 1
        batch = Batch.objects.get(pk=batch.pk)
        assert batch.status in BATCH_STATES
        assert Event.objects.filter(batch=batch).count() == accepted
        if accepted:
            _check_deadline(batch, BATCH_DAYS)
