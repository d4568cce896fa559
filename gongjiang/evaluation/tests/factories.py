"""Factories of skill evaluation. Rows are made in the state a test asks for; the transitions
themselves are tested through the services."""

import datetime

import factory
from django.utils import timezone

from gongjiang.evaluation.choices import AppointmentStatus, BatchStatus, FilingStatus, InstitutionType
from gongjiang.evaluation.models import Appointment, Batch, Candidate, Filing
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.talents.tests.factories import PersonFactory


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


class FilingFactory(factory.django.DjangoModelFactory):
    """An approved employer filing for 机械热加工人员 at 高级工, 技师 and 高级技师 by default."""

    class Meta:
        model = Filing
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    institution_type = InstitutionType.EMPLOYER
    valid_from = factory.LazyFunction(lambda: days_ago(365))
    valid_to = factory.LazyFunction(lambda: days_ago(-3 * 365))
    status = FilingStatus.APPROVED
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def occupations(obj, create, extracted, **kwargs):
        if create:
            obj.occupations.set(extracted if extracted is not None else ["6-18-02"])

    @factory.post_generation
    def levels(obj, create, extracted, **kwargs):
        if create:
            obj.levels.set(extracted if extracted is not None else ["GRADE3", "GRADE2", "GRADE1"])


class BatchFactory(factory.django.DjangoModelFactory):
    """A planned batch of its filing's first occupation at 技师, examined a week ago."""

    class Meta:
        model = Batch

    filing = factory.SubFactory(FilingFactory)
    name = factory.Sequence(lambda n: f"2026年第{n}批技师认定")
    occupation_id = "6-18-02"
    level_id = "GRADE2"
    exam_date = factory.LazyFunction(lambda: days_ago(7))
    status = BatchStatus.PLANNED


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    batch = factory.SubFactory(BatchFactory)
    person = factory.SubFactory(PersonFactory, employer=factory.SelfAttribute("..batch.filing.organisation"))


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    filing = factory.SubFactory(FilingFactory, levels=["GRADE1", "SPECIAL", "CHIEF"])
    organisation = factory.SelfAttribute("filing.organisation")
    person = factory.SubFactory(PersonFactory, employer=factory.SelfAttribute("..organisation"))
    level_id = "SPECIAL"
    occupation_id = "6-18-02"
    appointed_on = factory.LazyFunction(lambda: days_ago(10))
    status = AppointmentStatus.SUBMITTED


def url_table_objects(personas) -> dict[str, int]:
    """The objects the role × URL table opens: the org operator's organisation's filing (waiting
    for the city), its planned batch with the 海州 person as candidate, and a submitted appointment."""
    filing = FilingFactory(
        organisation=personas.org_haizhou,
        status="submitted",
        submitted_by=personas.org_operator,
        levels=["GRADE2", "GRADE1", "SPECIAL"],
    )
    batch = BatchFactory(filing=filing)
    candidate = CandidateFactory(batch=batch, person=personas.person_haizhou)
    appointment = AppointmentFactory(filing=filing, person=personas.person_haizhou)
    return {"filing": filing.pk, "batch": batch.pk, "candidate": candidate.pk, "appointment": appointment.pk}
