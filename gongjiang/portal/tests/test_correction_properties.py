"""Random sequences of steps by random users on a correction request; after each step the
invariants of the one workflow mechanism hold (as workflow/tests/test_properties.py does for
carriers and batches), and the person's record changes only when the request is accepted."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongjiang.accounts.models import AuditEntry
from gongjiang.portal.models import Correction
from gongjiang.portal.services import CorrectionData, correction_submit, correction_take
from gongjiang.talents.models import Person

pytestmark = pytest.mark.django_db

STATES = {"submitted", "returned", "accepted", "rejected"}
DAYS = {"submitted": 15, "returned": 30}  # the seeded StepDeadline rows, written out
ROLES = ["talent", "haizhou", "ganyu", "city"]
ACTIONS = ["accept", "return", "reject", "resubmit"]


def _snapshot(correction):
    c = Correction.objects.get(pk=correction.pk)
    name = Person.objects.get(pk=c.person_id).name
    return (c.status, c.due_on, c.step_started_on, c.events.count(), AuditEntry.objects.count(), name)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ROLES), st.sampled_from(ACTIONS)), max_size=8))
def test_random_steps_keep_the_invariants(personas, steps):
    Person.objects.filter(pk=personas.person_haizhou.pk).update(name="海州人员")
    correction = correction_submit(
        actor=personas.talent, data=CorrectionData(kind="person", field="name", proposed_value="海州人员丙")
    )
    accepted_steps = 1
    for role, action in steps:
        before = _snapshot(correction)
        try:
            correction_take(
                actor=getattr(personas, role),
                correction=correction,
                action=action,
                note="理由说明" if action in ("return", "reject") else "",
            )
        except (ValidationError, PermissionDenied):
            assert _snapshot(correction) == before  # a refused step changes nothing
            continue
        accepted_steps += 1
        c = Correction.objects.get(pk=correction.pk)
        assert c.status in STATES
        assert c.events.count() == accepted_steps
        if c.status in DAYS:
            assert c.due_on == c.step_started_on + datetime.timedelta(days=DAYS[c.status])
        else:
            assert c.due_on is None
        # Only the county of the person's region decides; the talent only resubmits.
        assert (role, action) in {
            ("haizhou", "accept"),
            ("haizhou", "return"),
            ("haizhou", "reject"),
            ("talent", "resubmit"),
        }
    final = Correction.objects.get(pk=correction.pk)
    name = Person.objects.get(pk=personas.person_haizhou.pk).name
    assert name == ("海州人员丙" if final.status == "accepted" else "海州人员")
