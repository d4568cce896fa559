"""Random sequences of claim steps by random roles; after each step the invariants of the one
workflow mechanism and of the money must hold:

- the state is one the workflow declares, and the history has one row per accepted step;
- a refused step changes nothing (state, deadline, history, audit, entitlements);
- entitlements exist only for an approved claim, one per eligible line, never more;
- deadlines follow the seeded rules (literal here: county 15, city 15, 补正 30 days);
- at the end, two batch runs pay each granted line exactly once.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjiang.accounts.models import AuditEntry
from gongjiang.benefits.models import Entitlement, PaymentLine
from gongjiang.benefits.services import payment_batch_create
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory
from gongjiang.training.models import Provider, SubsidyClaim
from gongjiang.training.services import claim_step, claim_submit

from .factories import ProviderFactory, ScheduleFactory
from .test_claims import as_trainee

pytestmark = pytest.mark.django_db

STATES = {"county_review", "city_review", "returned", "approved", "rejected"}
DAYS = {"county_review": 15, "city_review": 15, "returned": 30}
ROLES = ["city", "haizhou", "ganyu", "org_operator", "department"]
ACTIONS = ["county_pass", "approve", "return", "reject", "resubmit"]


def _snapshot(claim):
    claim = SubsidyClaim.objects.get(pk=claim.pk)
    return (
        claim.status,
        claim.due_on,
        claim.events.count(),
        AuditEntry.objects.count(),
        Entitlement.objects.filter(training_line__claim=claim).count(),
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(ROLES)), max_size=12))
def test_claim_workflow_and_money_invariants_hold_for_any_sequence(personas, steps):
    # Hypothesis runs every example in the same test database: one provider for them all.
    provider = Provider.objects.filter(organisation=personas.org_haizhou).first()
    schedule = ScheduleFactory(
        course__provider=provider or ProviderFactory(organisation=personas.org_haizhou)
    )
    trainees = []
    for issued in (datetime.date(2026, 6, 1), datetime.date(2026, 6, 2), datetime.date(2026, 1, 1)):
        person = PersonFactory(region_id="320706")
        trainees.append(
            as_trainee(person, CertificateFactory(person=person, occupation_id="6-18-02", issue_date=issued))
        )
    claim = claim_submit(
        actor=personas.org_operator,
        kind="vocational",
        schedule=schedule,
        bank_name="中国银行",
        account="621700001111222233",
        trainees=trainees,
    )
    accepted = 1
    for action, role in steps:
        before = _snapshot(claim)
        try:
            claim_step(actor=getattr(personas, role), claim=claim, action=action, reason="请核对")
        except (ValidationError, PermissionDenied):
            assert _snapshot(claim) == before, f"refused {action} by {role} changed something"
        else:
            accepted += 1
        claim.refresh_from_db()
        assert claim.status in STATES
        assert claim.events.count() == accepted
        granted = Entitlement.objects.filter(training_line__claim=claim).count()
        assert granted == (2 if claim.status == "approved" else 0)
        if claim.status in DAYS:
            assert claim.due_on == claim.step_started_on + datetime.timedelta(days=DAYS[claim.status])
        else:
            assert claim.due_on is None
    month = datetime.date.today().replace(day=1)
    payment_batch_create(actor=personas.city, month=month)
    payment_batch_create(actor=personas.city, month=month)
    lines = PaymentLine.objects.filter(entitlement__training_line__claim=claim)
    assert lines.count() == (2 if claim.status == "approved" else 0)
    assert lines.values("entitlement").distinct().count() == lines.count()
