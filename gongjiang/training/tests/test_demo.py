"""seed_demo's training catalogue: fixed, published, searchable, and made only once."""

import pytest

from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.training.demo import PROVIDERS, seed_training
from gongjiang.training.models import Course, EnterpriseTraining, Provider, Schedule

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_is_made_once_and_the_public_finds_it(client, personas):
    for name, *_rest in PROVIDERS:
        if name:
            OrganisationFactory(name=name, kind="training_institution", region_id="320706")
    personas.org_operator.username = "org"
    personas.org_operator.save()
    assert seed_training() == 7
    assert seed_training() == 0
    assert Provider.objects.count() == 5 and Course.objects.count() == 7 and Schedule.objects.count() == 14
    own = Provider.objects.get(organisation=personas.org_haizhou)
    assert own.kind == "enterprise_centre"
    assert EnterpriseTraining.objects.get(organisation=personas.org_haizhou, year=2025).trained_total == 129
    found = client.get("/training/catalogue/?domain=low_altitude_economy&subsidised=true")
    assert [c.name for c in found.context["object_list"]] == ["无人机装调检修工（中级工）培训"]
