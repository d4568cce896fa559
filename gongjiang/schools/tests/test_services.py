"""Writes of the schools app: rules in Chinese, workflow moves, audit on every write, 双证率."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.scope import SYSTEM
from gongjiang.schools import services
from gongjiang.schools.models import DemonstrationSchool, Milestone, SchoolYear
from gongjiang.schools.selectors import dual_certificate_rate, milestone_list
from gongjiang.schools.tests.factories import (
    DemonstrationFactory,
    MilestoneFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
)
from gongjiang.talents.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def messages_of(exc_info) -> dict:
    return {k: " ".join(v) for k, v in exc_info.value.message_dict.items()}


def test_every_write_is_audited_once(personas):
    city = personas.city
    school = SchoolFactory(region_id="320706")
    person = PersonFactory(employer=school)
    teacher = services.teacher_create(
        actor=city, school=school, person=person, category="professional", subject="数控技术应用"
    )
    services.teacher_update(
        actor=city, teacher=teacher, category="internship", subject="数控技术应用", left_on=None
    )
    demonstration = services.demonstration_create(actor=city, school=school, year=2026)
    services.demonstration_update(actor=city, demonstration=demonstration, year=2026, status="supported")
    milestone = services.milestone_create(
        actor=city, demonstration=demonstration, name="实训基地建成", due_on=datetime.date(2026, 6, 30)
    )
    services.milestone_update(
        actor=city,
        milestone=milestone,
        name="实训基地建成",
        due_on=milestone.due_on,
        done_on=TODAY,
        evidence="验收报告",
    )
    practice = services.practice_create(
        actor=city,
        teacher=teacher,
        host_name="连云港测试装备有限公司",
        start_on=datetime.date(2026, 7, 1),
        end_on=datetime.date(2026, 7, 31),
        days=22,
    )
    services.practice_update(
        actor=city,
        practice=practice,
        host_name="连云港测试装备有限公司",
        start_on=datetime.date(2026, 7, 1),
        end_on=datetime.date(2026, 7, 31),
        days=25,
    )
    row = services.schoolyear_create(
        actor=city, school=school, year=2025, graduates=100, graduates_certified=80
    )
    services.schoolyear_update(actor=city, schoolyear=row, graduates_certified=85)
    actions = list(AuditEntry.objects.filter(action__contains=".").values_list("action", flat=True))
    for name in ("teacher", "demonstration", "milestone", "practice", "schoolyear"):
        assert actions.count(f"{name}.create") == 1
        assert actions.count(f"{name}.update") == 1
    update = AuditEntry.objects.get(action="practice.update")
    assert update.changes == {"days": [22, 25]}


def test_a_person_is_a_teacher_of_a_school_once(personas):
    teacher = TeacherFactory()
    with pytest.raises(ValidationError) as exc:
        services.teacher_create(
            actor=personas.city,
            school=teacher.school,
            person=teacher.person,
            category="professional",
            subject="x",
        )
    assert "已是" in messages_of(exc)["person"]


def test_only_schools_have_teachers(personas):
    with pytest.raises(ValidationError) as exc:
        services.teacher_create(
            actor=personas.city,
            school=personas.org_haizhou,
            person=personas.person_haizhou,
            category="professional",
            subject="焊接",
        )
    assert messages_of(exc)["school"] == "“海州测试机械有限公司”不是职业学校或技工学校"


def test_school_operator_cannot_enrol_a_teacher_at_another_school(personas):
    from gongjiang.accounts.choices import Role
    from gongjiang.accounts.scope import OutOfScope
    from gongjiang.accounts.tests.factories import UserFactory

    own, other = SchoolFactory(), SchoolFactory()
    operator = UserFactory(role=Role.ORG_OPERATOR, organisation=own)
    person = PersonFactory(employer=own)
    with pytest.raises(OutOfScope):
        services.teacher_create(
            actor=operator, school=other, person=person, category="professional", subject="x"
        )
    assert not other.teachers.exists()
    assert not AuditEntry.objects.filter(action="teacher.create").exists()


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("candidate", "supported", True),
        ("supported", "accepted", True),
        ("supported", "withdrawn", True),
        ("candidate", "accepted", False),
        ("accepted", "supported", False),
        ("withdrawn", "supported", False),
    ],
)
def test_demonstration_status_moves_only_along_allowed_edges(personas, old, new, allowed):
    demonstration = DemonstrationFactory(status=old)
    if allowed:
        services.demonstration_update(actor=personas.city, demonstration=demonstration, year=2026, status=new)
        assert DemonstrationSchool.objects.get(pk=demonstration.pk).status == new
    else:
        with pytest.raises(ValidationError) as exc:
            services.demonstration_update(
                actor=personas.city, demonstration=demonstration, year=2026, status=new
            )
        assert messages_of(exc)["status"].startswith("扶持状态不能从“")
        assert DemonstrationSchool.objects.get(pk=demonstration.pk).status == old
        assert not AuditEntry.objects.filter(action="demonstration.update").exists()


def test_milestones_overdue_late_and_on_time():
    yesterday, tomorrow = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)
    overdue = MilestoneFactory(name="逾期", due_on=yesterday)
    pending = MilestoneFactory(name="未到期", due_on=tomorrow)
    due_today = MilestoneFactory(name="今天到期", due_on=TODAY)
    late = MilestoneFactory(name="逾期完成", due_on=yesterday - datetime.timedelta(days=9), done_on=yesterday)
    on_time = MilestoneFactory(name="按期完成", due_on=tomorrow, done_on=yesterday)
    assert overdue.is_overdue() and not pending.is_overdue() and not due_today.is_overdue()
    assert not late.is_overdue() and late.is_late
    assert not on_time.is_overdue() and not on_time.is_late
    assert pending.is_overdue(on=tomorrow + datetime.timedelta(days=1))
    from gongjiang.schools.selectors import milestone_overdue_q

    assert set(Milestone.objects.filter(milestone_overdue_q()).values_list("name", flat=True)) == {"逾期"}


def test_demonstration_list_counts_overdue_milestones(personas):
    demonstration = DemonstrationFactory()
    MilestoneFactory(demonstration=demonstration, due_on=TODAY - datetime.timedelta(days=3))
    MilestoneFactory(
        demonstration=demonstration, due_on=TODAY - datetime.timedelta(days=3), done_on=TODAY, evidence="x"
    )
    MilestoneFactory(demonstration=demonstration, due_on=TODAY + datetime.timedelta(days=3))
    from gongjiang.schools.selectors import demonstration_list

    row = demonstration_list(user=personas.city).get(pk=demonstration.pk)
    assert (row.milestones_total, row.milestones_done, row.milestones_overdue) == (3, 1, 1)
    assert milestone_list(user=personas.city).count() == 3


def test_marking_a_milestone_done_needs_evidence_and_a_past_date(personas):
    milestone = MilestoneFactory()
    with pytest.raises(ValidationError) as exc:
        services.milestone_update(
            actor=personas.city,
            milestone=milestone,
            name=milestone.name,
            due_on=milestone.due_on,
            done_on=TODAY,
            evidence=" ",
        )
    assert messages_of(exc)["evidence"] == "标记完成时须填写佐证材料说明"
    with pytest.raises(ValidationError) as exc:
        services.milestone_update(
            actor=personas.city,
            milestone=milestone,
            name=milestone.name,
            due_on=milestone.due_on,
            done_on=TODAY + datetime.timedelta(days=1),
            evidence="验收报告",
        )
    assert messages_of(exc)["done_on"] == "实际完成日期不能晚于今天"
    assert Milestone.objects.get(pk=milestone.pk).done_on is None


@pytest.mark.parametrize(
    ("start", "end", "days", "field", "message"),
    [
        ((2025, 12, 20), (2026, 1, 10), 10, "end_on", "一条实践记录不能跨年，请按年度分成两条登记"),
        ((2025, 7, 10), (2025, 7, 1), 1, "end_on", "结束日期不能早于开始日期"),
        ((2025, 7, 1), (2025, 7, 10), 11, "days", "实践天数（11天）超过了开始至结束日期的天数（10天）"),
    ],
)
def test_practice_periods_are_checked(personas, start, end, days, field, message):
    teacher = TeacherFactory()
    with pytest.raises(ValidationError) as exc:
        services.practice_create(
            actor=personas.city,
            teacher=teacher,
            host_name="连云港测试装备有限公司",
            start_on=datetime.date(*start),
            end_on=datetime.date(*end),
            days=days,
        )
    assert messages_of(exc)[field] == message


def test_practice_host_credit_code_is_validated_and_normalised(personas):
    teacher = TeacherFactory()
    kwargs = {
        "actor": personas.city,
        "teacher": teacher,
        "host_name": "海州测试机械有限公司",
        "start_on": datetime.date(2025, 7, 1),
        "end_on": datetime.date(2025, 7, 10),
        "days": 10,
    }
    practice = services.practice_create(**kwargs, host_uscc=" " + personas.org_haizhou.uscc.lower())
    assert practice.host_uscc == personas.org_haizhou.uscc
    with pytest.raises(ValidationError):
        services.practice_create(**kwargs, host_uscc="91320706MA1MJ7L070")


def test_school_year_figures_are_checked(personas):
    school = SchoolFactory()
    with pytest.raises(ValidationError) as exc:
        services.schoolyear_create(
            actor=personas.city, school=school, year=2025, graduates=10, graduates_certified=11
        )
    assert messages_of(exc)["graduates_certified"] == "取得证书的毕业生（11人）不能多于毕业生人数（10人）"
    with pytest.raises(ValidationError) as exc:
        services.schoolyear_create(
            actor=personas.city, school=school, year=2025, training_income=Decimal("5")
        )
    assert messages_of(exc)["training_sessions"] == "有培训人次或收入时，培训期数不能为0"
    services.schoolyear_create(actor=personas.city, school=school, year=2025)
    with pytest.raises(ValidationError) as exc:
        services.schoolyear_create(actor=personas.city, school=school, year=2025)
    assert "已登记" in messages_of(exc)["year"]
    assert SchoolYear.objects.filter(school=school).count() == 1


def test_dual_certificate_rate_is_certified_over_graduates_summed_not_averaged():
    big = SchoolFactory(region_id="320706")
    small = SchoolFactory(region_id="320707")
    SchoolYearFactory(school=big, year=2025, graduates=300, graduates_certified=270)
    SchoolYearFactory(school=small, year=2025, graduates=100, graduates_certified=30)
    SchoolYearFactory(
        school=small,
        year=2024,
        graduates=0,
        graduates_certified=0,
        training_sessions=0,
        training_trainees=0,
        training_income=0,
    )
    rate = dual_certificate_rate(year=2025, user=SYSTEM)
    assert (rate["certified"], rate["graduates"]) == (300, 400)
    assert rate["value"] == 0.75  # not (0.9 + 0.3) / 2 = 0.6
    assert dual_certificate_rate(school=small, year=2025, user=SYSTEM)["value"] == 0.3
    assert dual_certificate_rate(region="320707", year=2024, user=SYSTEM) == {
        "value": None,
        "certified": 0,
        "graduates": 0,
    }
    assert SchoolYear.objects.get(school=small, year=2024).dual_rate is None
    assert SchoolYear.objects.get(school=big).dual_rate == 0.9
    assert round(SchoolYearFactory.build(graduates=3, graduates_certified=1).dual_rate, 4) == 0.3333
