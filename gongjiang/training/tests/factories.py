"""Factories of the training app: a provider of an organisation, its course and class."""

import datetime

import factory

from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.training.models import Course, Provider, Schedule


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.LazyAttribute(lambda o: o.organisation.name)
    kind = "private_provider"
    region_id = factory.LazyAttribute(lambda o: o.organisation.region_id)
    capacity = 500


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"焊工高级工培训{n}期")
    occupation_id = "6-18-02"
    level_id = "GRADE3"
    domain_id = "advanced_manufacturing"
    hours = 120
    price = 2800
    certificate_type_id = "skill_level"
    subsidy_class = "A"
    published = True


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    course = factory.SubFactory(CourseFactory)
    starts_on = datetime.date(2026, 3, 1)
    ends_on = datetime.date(2026, 5, 31)
    place = "海州区实训楼"
