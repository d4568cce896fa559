"""Factories of the schools app (rows as the services write them)."""

import datetime

import factory

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.schools.choices import DemonstrationStatus, TeacherCategory
from gongjiang.schools.models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory


class SchoolFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"连云港测试职业学校{n}")
    kind = OrgKind.VOCATIONAL_SCHOOL


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    school = factory.SubFactory(SchoolFactory)
    person = factory.SubFactory(
        PersonFactory,
        employer=factory.SelfAttribute("..school"),
        region_id=factory.SelfAttribute("..school.region_id"),
    )
    category = TeacherCategory.PROFESSIONAL
    subject = "机电技术应用"


def teacher_with_level(school, level: str | None, **certificate) -> Teacher:
    """A teacher of ``school`` holding one certificate at ``level`` (None: no certificate)."""
    teacher = TeacherFactory(school=school)
    if level is not None:
        CertificateFactory(person=teacher.person, level_id=level, **certificate)
    return teacher


class DemonstrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemonstrationSchool

    school = factory.SubFactory(SchoolFactory)
    year = 2026
    status = DemonstrationStatus.SUPPORTED


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    demonstration = factory.SubFactory(DemonstrationFactory)
    name = factory.Sequence(lambda n: f"建设任务{n}")
    due_on = datetime.date(2026, 12, 31)


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterprisePractice

    teacher = factory.SubFactory(TeacherFactory)
    host_name = "连云港测试装备有限公司"
    start_on = datetime.date(2025, 7, 1)
    end_on = datetime.date(2025, 7, 31)
    days = 20


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    school = factory.SubFactory(SchoolFactory)
    year = 2025
    training_sessions = 10
    training_trainees = 500
    training_income = 30
    graduates = 100
    graduates_certified = 90
