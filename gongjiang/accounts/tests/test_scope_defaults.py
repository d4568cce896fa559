"""The scope rule is closed by default: a model nobody registered is denied, ``None`` is never
"everything", every model with a scoped manager is registered, and ``may`` answers per action."""

import pytest
from django.apps import apps

from gongjiang.accounts.scope import SYSTEM, ScopedQuerySet, is_registered, may, scope
from gongjiang.carriers.tests.factories import CarrierFactory
from gongjiang.carriers.workflows import CARRIER_WORKFLOW
from gongjiang.workflow.models import Event
from gongjiang.workflow.services import workflow_record

pytestmark = pytest.mark.django_db


def test_every_model_with_a_scoped_manager_is_registered():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if isinstance(model._default_manager.get_queryset(), ScopedQuerySet) and not is_registered(model)
    ]
    assert missing == []


def test_a_model_nobody_registered_is_closed_to_every_role(personas):
    carrier = CarrierFactory(host=personas.org_haizhou)
    workflow_record(
        workflow=CARRIER_WORKFLOW, obj=carrier, actor=personas.org_operator, action="x", label="测试"
    )
    assert not is_registered(Event)
    users = (personas.city, personas.haizhou, personas.org_operator, personas.department, personas.talent)
    for user in users:
        assert scope(Event.objects.all(), user, "view").count() == 0
    assert scope(Event.objects.all(), SYSTEM, "view").count() == 1  # read through its carrier instead


def test_no_user_is_nothing_and_the_system_is_everything(personas):
    CarrierFactory(host=personas.org_haizhou)
    CarrierFactory(host=personas.org_ganyu)
    from gongjiang.carriers.models import Carrier

    assert scope(Carrier.objects.all(), None).count() == 0
    assert scope(Carrier.objects.all(), SYSTEM).count() == 2
    assert Carrier.objects.for_user(personas.haizhou).count() == 1


def test_may_gives_the_permitted_actions_of_one_object(personas):
    carrier = CarrierFactory(host=personas.org_haizhou)
    actions = ("view", "change", "review", "recognise")
    assert may(personas.haizhou, carrier, *actions) == {"view", "review"}
    assert may(personas.org_operator, carrier, *actions) == {"view", "change"}
    assert may(personas.ganyu, carrier, *actions) == set()
    assert may(personas.city, carrier, *actions) == {"view", "change", "recognise"}
