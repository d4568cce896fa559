"""Carriers in any status, written as the services leave them (for tests that start mid-way)."""

import datetime

import factory

from gongjiang.carriers.choices import CarrierLevel, CarrierStatus
from gongjiang.carriers.models import Carrier
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory
from gongjiang.workflow.models import Event


def leader_at(level_id: str, **person):
    """A person whose highest valid level is ``level_id``."""
    certificate = CertificateFactory(person=PersonFactory(**person), level_id=level_id)
    return certificate.person


class CarrierFactory(factory.django.DjangoModelFactory):
    """A declared carrier waiting for county review (override ``status`` and dates to start later)."""

    class Meta:
        model = Carrier

    name = factory.Sequence(lambda n: f"测试培养载体{n}")
    carrier_type_id = "hs_training_base"
    host = factory.SubFactory(OrganisationFactory)
    leader = factory.SubFactory(
        PersonFactory,
        employer=factory.SelfAttribute("..host"),
        region_id=factory.SelfAttribute("..host.region_id"),
    )
    region_id = factory.LazyAttribute(lambda o: o.host.region_id)
    domain_id = "advanced_manufacturing"
    applied_level = CarrierLevel.CITY
    status = CarrierStatus.COUNTY_REVIEW
    submitted_at = factory.LazyFunction(lambda: datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC))
    step_started_on = datetime.date(2026, 3, 2)
    due_on = datetime.date(2026, 3, 22)


class RecognisedCarrierFactory(CarrierFactory):
    """A carrier recognised at 市级 on ``recognised_on`` (its first recognition)."""

    status = CarrierStatus.RECOGNISED
    level = CarrierLevel.CITY
    recognised_on = datetime.date(2026, 5, 1)
    first_recognised_on = factory.SelfAttribute("recognised_on")
    city_level_since = factory.LazyAttribute(
        lambda o: o.first_recognised_on if o.level != CarrierLevel.COUNTY else None
    )
    step_started_on = factory.SelfAttribute("recognised_on")
    due_on = None
    city_round = 1


def history(carrier: Carrier) -> list[tuple[str, str, str]]:
    """(action, from, to) of every event of ``carrier``, oldest first."""
    return list(
        Event.objects.filter(carrier=carrier)
        .order_by("at", "id")
        .values_list("action", "from_status", "to_status")
    )
