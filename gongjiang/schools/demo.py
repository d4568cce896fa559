"""Demo data of the schools app, called once by ``seed_demo`` after the persons exist.

Every school gets professional teachers and internship instructors taken from the demo persons of
its county (so ``--persons N`` still means N persons), about 80-95% of them at 高级工 or above;
two 职业学校 and two 技工学校 are supported as demonstration schools with milestones; teachers'
enterprise practice and each school's social training and graduates for the last three years."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from gongjiang.common.demo import make_uscc
from gongjiang.orgs.choices import OrgKind, OrgSize
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Person

from .choices import SCHOOL_KINDS, DemonstrationStatus, TeacherCategory
from .models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher

# Two more schools beside the four seed_demo registers, so the 2 + 2 are a choice among several.
EXTRA_SCHOOLS = [
    ("灌南县砚石中等专业学校", OrgKind.VOCATIONAL_SCHOOL, "320724"),
    ("连云港澄川技工学校", OrgKind.TECHNICAL_SCHOOL, "320703"),
]
SUBJECTS = {
    OrgKind.VOCATIONAL_SCHOOL: [
        "机电技术应用",
        "数控技术应用",
        "电子商务",
        "会计事务",
        "汽车运用与维修",
        "护理",
    ],
    OrgKind.TECHNICAL_SCHOOL: [
        "焊接加工",
        "电气自动化设备安装与维修",
        "数控加工",
        "化工工艺",
        "工业机器人应用与维护",
    ],
}
DEMONSTRATIONS = {
    "江苏省连云港中等专业学校": (2026, DemonstrationStatus.SUPPORTED),
    "东海中等专业学校": (2026, DemonstrationStatus.SUPPORTED),
    "连云港技师学院": (2026, DemonstrationStatus.SUPPORTED),
    "赣榆技工学校": (2027, DemonstrationStatus.CANDIDATE),
}
MILESTONES = [
    ("制定示范性学校建设方案并通过专家论证", (3, 31), "建设方案及专家论证意见"),
    ("建成校企共建产教融合实训基地", (9, 30), "实训基地验收报告及设备清单"),
    ("专业课教师和实习指导教师高级工以上比例达到90%", (12, 31), "教师证书花名册"),
    ("开展有偿社会培训不少于3000人次", (12, 31), "培训台账及收入凭证"),
    ("通过中期评估", (6, 30), "中期评估报告"),
    ("通过示范性学校验收", (12, 31), "验收意见"),
]


def seed_schools(rng: random.Random, *, today: datetime.date | None = None) -> dict[str, int]:
    """Write the schools demo data in bulk; returns what it made."""
    today = today or datetime.date.today()
    used = set(Organisation.objects.values_list("uscc", flat=True))
    extra = []
    for name, kind, region in EXTRA_SCHOOLS:
        code = make_uscc(rng, region_code=region, category="12")  # 12: a public institution (事业单位)
        while code in used:
            code = make_uscc(rng, region_code=region, category="12")
        used.add(code)
        extra.append(Organisation(name=name, uscc=code, kind=kind, region_id=region, size=OrgSize.MEDIUM))
    Organisation.objects.bulk_create(extra)
    schools = list(Organisation.objects.filter(kind__in=SCHOOL_KINDS).order_by("id"))

    scale = min(1.0, Person.objects.count() / 5000)  # a small demo gets a few teachers per school
    taken: set[int] = set()
    teachers: list[Teacher] = []
    for school in schools:
        teachers += _teachers_of(rng, school, scale, taken, today)
    Teacher.objects.bulk_create(teachers, batch_size=1000)

    demonstrations, milestones = _demonstrations(rng, schools, today)
    practices = _practices(rng, schools, today)
    years = _school_years(rng, schools, today)
    return {
        "schools": len(schools),
        "teachers": len(teachers),
        "demonstrations": len(demonstrations),
        "milestones": len(milestones),
        "practices": len(practices),
        "school_years": len(years),
    }


def _teachers_of(
    rng: random.Random, school: Organisation, scale: float, taken: set[int], today: datetime.date
) -> list[Teacher]:
    """Teachers from the school's county: a target share at 高级工 or above between 80% and 95%,
    plus one or two who have left (not counted)."""
    size = max(3, round(rng.randint(20, 60) * scale))
    leavers = rng.choice([1, 2]) if size >= 10 else 0
    target = round(size * rng.uniform(0.80, 0.95))
    pools = {}
    for high in (True, False):
        candidates = list(
            Person.objects.filter(
                region_id=school.region_id, is_high_skilled=high, teaching_posts__isnull=True
            )
            .exclude(pk__in=taken)
            .values_list("pk", "employer_id")[: 4 * size]
        )
        if len(candidates) < size:  # a small county: colleagues commute from elsewhere
            candidates += list(
                Person.objects.filter(is_high_skilled=high, teaching_posts__isnull=True)
                .exclude(pk__in=taken)
                .exclude(region_id=school.region_id)
                .values_list("pk", "employer_id")[: 4 * size]
            )
        rng.shuffle(candidates)
        pools[high] = candidates
    chosen = [(pk, True) for pk, _e in pools[True][:target]]
    chosen += [(pk, False) for pk, _e in pools[False][: size - len(chosen) + leavers]]
    subjects = SUBJECTS[school.kind]
    rows: list[Teacher] = []
    on_staff: list[int] = []
    for index, (pk, _high) in enumerate(chosen):
        taken.add(pk)
        category = TeacherCategory.INTERNSHIP if rng.random() < 0.25 else TeacherCategory.PROFESSIONAL
        # Internship instructors are often enterprise staff teaching part-time; the rest are the school's.
        if category == TeacherCategory.PROFESSIONAL or rng.random() < 0.5:
            on_staff.append(pk)
        left_on = None
        if index >= len(chosen) - leavers:
            left_on = datetime.date(2025, rng.randint(1, 12), rng.randint(1, 28))
        rows.append(
            Teacher(
                school=school, person_id=pk, category=category, subject=rng.choice(subjects), left_on=left_on
            )
        )
    Person.objects.filter(pk__in=on_staff).update(employer=school, region_id=school.region_id)
    return rows


def _demonstrations(rng: random.Random, schools: list[Organisation], today: datetime.date):
    demonstrations = [
        DemonstrationSchool(
            school=school,
            year=DEMONSTRATIONS[school.name][0],
            status=DEMONSTRATIONS[school.name][1],
            note="对接六大重点领域，建设高水平专业群，打造产教融合示范性学校。",
        )
        for school in schools
        if school.name in DEMONSTRATIONS
    ]
    DemonstrationSchool.objects.bulk_create(demonstrations)
    milestones = []
    for demonstration in demonstrations:
        start = demonstration.year
        for step, (name, (month, day), evidence) in enumerate(MILESTONES):
            due = datetime.date(start + step // 2, month, day)
            done_on = None
            # Most steps due by now are done, some late; one in five is still open (overdue).
            if due <= today and rng.random() < 0.8:
                done_on = min(today, due + datetime.timedelta(days=rng.randint(-40, 25)))
            milestones.append(
                Milestone(
                    demonstration=demonstration,
                    name=name,
                    due_on=due,
                    done_on=done_on,
                    evidence=evidence if done_on else "",
                )
            )
    Milestone.objects.bulk_create(milestones)
    return demonstrations, milestones


def _practices(rng: random.Random, schools: list[Organisation], today: datetime.date):
    hosts_by_region: dict[str, list[tuple[str, str]]] = {}
    for name, uscc, region in Organisation.objects.filter(kind=OrgKind.ENTERPRISE).values_list(
        "name", "uscc", "region_id"
    ):
        hosts_by_region.setdefault(region, []).append((name, uscc))
    every_host = [host for hosts in hosts_by_region.values() for host in hosts]
    practices = []
    for teacher in Teacher.objects.filter(school__in=schools, left_on__isnull=True).select_related("school"):
        hosts = hosts_by_region.get(teacher.school.region_id) or every_host
        for year in (today.year - 2, today.year - 1, today.year):
            if rng.random() > 0.45 or not hosts:
                continue
            latest = min(today - datetime.timedelta(days=1), datetime.date(year, 12, 1))
            start = datetime.date(year, 1, 2) + datetime.timedelta(
                days=rng.randrange(max(1, (latest - datetime.date(year, 1, 2)).days))
            )
            span = rng.randint(10, 40)
            end = min(start + datetime.timedelta(days=span - 1), datetime.date(year, 12, 31))
            host_name, host_uscc = rng.choice(hosts)
            practices.append(
                EnterprisePractice(
                    teacher=teacher,
                    host_name=host_name,
                    host_uscc=host_uscc,
                    start_on=start,
                    end_on=end,
                    days=max(1, min((end - start).days + 1, rng.randint(8, 30))),
                    content=rng.choice(["跟岗实践", "参与技术改造项目", "生产一线顶岗", "新工艺新设备培训"]),
                )
            )
    EnterprisePractice.objects.bulk_create(practices, batch_size=1000)
    return practices


def _school_years(rng: random.Random, schools: list[Organisation], today: datetime.date):
    years = []
    for school in schools:
        for year in (today.year - 2, today.year - 1, today.year):
            sessions = rng.randint(6, 40)
            trainees = sessions * rng.randint(25, 60)
            graduates = rng.randint(300, 1500)
            years.append(
                SchoolYear(
                    school=school,
                    year=year,
                    training_sessions=sessions,
                    training_trainees=trainees,
                    training_income=(Decimal(trainees) * Decimal(rng.randint(150, 600)) / 10000).quantize(
                        Decimal("0.01")
                    ),
                    graduates=graduates,
                    graduates_certified=round(graduates * rng.uniform(0.6, 0.95)),
                )
            )
    SchoolYear.objects.bulk_create(years)
    return years
