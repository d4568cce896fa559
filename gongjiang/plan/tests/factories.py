"""Making plan rows for tests: the measures are loaded by migration; departments and tasks here."""

from __future__ import annotations

import datetime

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import OrganisationFactory
from gongjiang.plan.models import Measure
from gongjiang.plan.services import task_create


def department(name: str):
    return OrganisationFactory(name=name, region_id="320700", kind=OrgKind.DEPARTMENT)


def make_task(
    city,
    *,
    measure: int = 2,
    owner,
    supporting=(),
    title: str = "专业课教师高级证书比例达到90%",
    today: datetime.date = datetime.date(2026, 11, 20),
    milestones=None,
    **extra,
):
    return task_create(
        actor=city,
        measure=Measure.objects.get(number=measure),
        title=title,
        owner=owner,
        supporting=supporting,
        milestones=milestones if milestones is not None else {2026: ("比例达到80%", None)},
        today=today,
        **extra,
    )
