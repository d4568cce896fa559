"""Demo data of the training app, called by ``seed_demo`` after the accounts exist: a small fixed
catalogue (five providers, seven courses with classes and teachers) and the demo enterprise's
training record. Deterministic and idempotent: nothing is added once a provider exists."""

from __future__ import annotations

import datetime
from decimal import Decimal

from gongjiang.accounts.models import User
from gongjiang.orgs.models import Organisation

from .models import Course, EnterpriseTraining, Provider, Schedule, Teacher

PROVIDERS = [
    # (organisation name or None for the demo enterprise, kind, domains, facilities, capacity, accreditation)
    (
        "连云港技师学院",
        "technical_school",
        ["advanced_manufacturing", "digital_economy"],
        "焊接实训车间40工位、工业机器人实训室12套",
        3000,
        "江苏省人社厅备案职业技能等级认定机构",
    ),
    (
        "江苏省连云港中等专业学校",
        "vocational_school",
        ["digital_economy"],
        "电子装配实训室2间",
        1500,
        "职业院校",
    ),
    (
        "连云港市公共实训基地",
        "public_base",
        ["low_altitude_economy", "advanced_manufacturing"],
        "无人机装调检修实训区、飞行训练场",
        2000,
        "市级公共实训基地",
    ),
    (
        "灌云县职业培训中心",
        "private_provider",
        ["transportation"],
        "汽修实训车间、装卸模拟场",
        800,
        "民办职业培训机构办学许可",
    ),
    (
        None,
        "enterprise_centre",
        ["advanced_manufacturing"],
        "企业培训中心、数控加工实训线",
        400,
        "企业培训中心",
    ),
]
COURSES = [
    # (provider index, name, occupation, level, domain, hours, price, subsidy class)
    (0, "焊工（高级工）培训", "6-18-02", "GRADE3", "advanced_manufacturing", 160, "3200", "A"),
    (
        0,
        "工业机器人系统运维员（中级工）培训",
        "6-31-07",
        "GRADE4",
        "advanced_manufacturing",
        120,
        "2600",
        "A",
    ),
    (1, "电子设备装接工（中级工）培训", "6-25-04", "GRADE4", "digital_economy", 100, "1800", "B"),
    (2, "无人机装调检修工（中级工）培训", "6-31-02", "GRADE4", "low_altitude_economy", 120, "3000", "B"),
    (3, "装卸搬运工（初级工）培训", "4-02-05", "GRADE5", "transportation", 60, "800", "C"),
    (3, "汽车维修工（中级工）培训", "4-12-01", "GRADE4", "transportation", 100, "1600", "C"),
    (4, "车工（高级工）岗位提升培训", "6-18-01", "GRADE3", "advanced_manufacturing", 80, "0", "B"),
]
CLASSES = [
    (datetime.date(2026, 3, 2), datetime.date(2026, 5, 29)),
    (datetime.date(2027, 3, 1), datetime.date(2027, 5, 28)),
]
TEACHERS = [
    (0, "王建国", "焊接", "高级技师"),
    (0, "陈晓东", "工业机器人", "技师"),
    (2, "刘海涛", "无人机装调", "技师"),
]


def seed_training() -> int:
    """Make the demo catalogue once; returns the number of courses made."""
    if Provider.objects.exists():
        return 0
    demo_org = User.objects.filter(username="org").values_list("organisation_id", flat=True).first()
    providers = []
    for name, kind, domains, facilities, capacity, accreditation in PROVIDERS:
        org = (
            Organisation.objects.filter(pk=demo_org).first()
            if name is None
            else Organisation.objects.filter(name=name).first()
        )
        if org is None:
            providers.append(None)
            continue
        provider = Provider.objects.create(
            organisation=org,
            name=org.name if name is None else name,
            kind=kind,
            region_id=org.region_id,
            facilities=facilities,
            capacity=capacity,
            accreditation=accreditation,
            address=org.address,
        )
        provider.domains.set(domains)
        providers.append(provider)
    made = 0
    for index, name, occupation, level, domain, hours, price, subsidy_class in COURSES:
        provider = providers[index]
        if provider is None:
            continue
        course = Course.objects.create(
            provider=provider,
            name=name,
            occupation_id=occupation,
            level_id=level,
            domain_id=domain,
            hours=hours,
            price=Decimal(price),
            certificate_type_id="skill_level",
            subsidy_class=subsidy_class,
            published=True,
        )
        for starts, ends in CLASSES:
            Schedule.objects.create(
                course=course, starts_on=starts, ends_on=ends, place=provider.address or provider.name
            )
        made += 1
    for index, name, speciality, title in TEACHERS:
        if providers[index] is not None:
            Teacher.objects.create(provider=providers[index], name=name, speciality=speciality, title=title)
    if demo_org:
        EnterpriseTraining.objects.get_or_create(
            organisation_id=demo_org,
            year=2025,
            defaults={
                "has_training_system": True,
                "in_development_plan": True,
                "in_manager_targets": False,
                "congress_report_on": datetime.date(2025, 12, 18),
                "trained_primary": 60,
                "trained_intermediate": 45,
                "trained_advanced": 20,
                "trained_technician": 4,
                "education_fund": Decimal("236000.00"),
            },
        )
    return made
