"""The schools pages as users drive them: scope from inside and outside, the share against 90%
with its drill-down, filters, forms with Chinese messages, exports."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.schools.models import DemonstrationSchool, EnterprisePractice, SchoolYear, Teacher
from gongjiang.schools.tests.factories import (
    DemonstrationFactory,
    MilestoneFactory,
    PracticeFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    teacher_with_level,
)
from gongjiang.talents.models import Person
from gongjiang.talents.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def campus(personas):
    """Two schools in 海州 and one in 赣榆, each with teachers; an operator for the first."""
    own = SchoolFactory(name="海州甲中等专业学校", region_id="320706")
    neighbour = SchoolFactory(name="海州乙技工学校", region_id="320706", kind="technical_school")
    far = SchoolFactory(name="赣榆丙技工学校", region_id="320707", kind="technical_school")
    own_teachers = [teacher_with_level(own, level) for level in ["GRADE3", "GRADE2", "GRADE4", None]]
    neighbour_teacher = teacher_with_level(neighbour, "GRADE3")
    far_teacher = teacher_with_level(far, "GRADE1")
    return {
        "own": own,
        "neighbour": neighbour,
        "far": far,
        "own_teachers": own_teachers,
        "neighbour_teacher": neighbour_teacher,
        "far_teacher": far_teacher,
        "operator": UserFactory(username="school", role=Role.ORG_OPERATOR, organisation=own),
    }


def rows(response):
    return [row.record for row in response.context["table"].paginated_rows]


def test_school_operator_cannot_open_another_schools_teacher(campus, login):
    client = login(campus["operator"])
    other = campus["neighbour_teacher"]
    assert client.get(f"/schools/teachers/{other.pk}/").status_code == 404
    assert client.get(f"/schools/teachers/{other.pk}/edit/").status_code == 404
    assert client.get(f"/schools/{campus['neighbour'].pk}/").status_code == 404
    denied = AuditEntry.objects.filter(
        action="access.denied", object_type="schools.teacher", object_id=str(other.pk)
    )
    assert denied.count() == 2
    own = campus["own_teachers"][0]
    response = client.get(f"/schools/teachers/{own.pk}/")
    assert response.status_code == 200
    assert own.person.name in response.content.decode()


def test_school_operator_lists_only_its_own_teachers_and_school(campus, login):
    client = login(campus["operator"])
    assert set(rows(client.get("/schools/teachers/"))) == set(campus["own_teachers"])
    assert [s.name for s in rows(client.get("/schools/"))] == ["海州甲中等专业学校"]
    # Asking for another school by its id gives nothing, not its teachers.
    response = client.get("/schools/teachers/", {"school": campus["neighbour"].pk})
    assert rows(response) == []


def test_region_operator_sees_its_regions_schools_only(campus, personas, login):
    client = login(personas.haizhou)
    assert {s.name for s in rows(client.get("/schools/"))} == {"海州甲中等专业学校", "海州乙技工学校"}
    assert campus["far_teacher"] not in rows(client.get("/schools/teachers/"))
    assert client.get(f"/schools/teachers/{campus['far_teacher'].pk}/").status_code == 404
    assert client.get(f"/schools/{campus['far'].pk}/").status_code == 404
    assert client.get(f"/schools/{campus['neighbour'].pk}/").status_code == 200


def test_department_reads_every_school_but_changes_nothing(campus, personas, login):
    client = login(personas.department)
    assert len(rows(client.get("/schools/"))) == 3
    assert len(rows(client.get("/schools/teachers/"))) == 6
    assert client.get(f"/schools/teachers/{campus['far_teacher'].pk}/").status_code == 200
    assert client.get(f"/schools/teachers/{campus['far_teacher'].pk}/edit/").status_code == 404
    assert client.get("/schools/teachers/new/").status_code == 403
    response = client.post(f"/schools/teachers/{campus['far_teacher'].pk}/edit/", {"category": "internship"})
    assert response.status_code == 404
    assert Teacher.objects.get(pk=campus["far_teacher"].pk).category == "professional"


def test_department_sees_a_teachers_level_but_no_certificate_numbers(campus, personas, login):
    teacher = campus["far_teacher"]
    numbers = [c.number for c in teacher.person.certificates.all()]
    assert numbers
    page = login(personas.department).get(f"/schools/teachers/{teacher.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert not any(number in text for number in numbers)
    assert 'data-testid="certificates-hidden"' in text
    # A region operator of the teacher's region still reads them.
    page = login(personas.ganyu).get(f"/schools/teachers/{teacher.pk}/")
    assert all(number in page.content.decode() for number in numbers)


def test_school_page_shows_share_against_goal_and_links_to_teachers_below(campus, login):
    client = login(campus["operator"])
    response = client.get(f"/schools/{campus['own'].pk}/")
    assert response.context["share"]["value"] == 0.5
    text = response.content.decode()
    assert "50.0%" in text
    assert "目标 90%" in text
    assert "未达高级工的教师（2人）" in text
    below = client.get(response.context["below_url"])
    listed = rows(below)
    assert set(listed) == {campus["own_teachers"][2], campus["own_teachers"][3]}
    assert all(not t.is_high for t in listed)


def test_school_list_filter_below_goal_uses_exact_arithmetic(personas, login):
    exact = SchoolFactory(name="恰好九成学校")
    for level in ["GRADE3"] * 9 + ["GRADE4"]:
        teacher_with_level(exact, level)
    under = SchoolFactory(name="八成学校")
    for level in ["GRADE3"] * 4 + ["GRADE4"]:
        teacher_with_level(under, level)
    client = login(personas.city)
    assert [s.name for s in rows(client.get("/schools/", {"below_goal": "true"}))] == ["八成学校"]
    assert [s.name for s in rows(client.get("/schools/", {"below_goal": "false"}))] == ["恰好九成学校"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "internship"}, {"实习甲"}),
        ({"high": "true"}, {"专业乙"}),
        ({"in_post": "false"}, {"离任丙"}),
        ({"q": "汽车"}, {"实习甲"}),
        ({"region": "320707"}, {"离任丙"}),
    ],
)
def test_teacher_list_filters(personas, login, params, expected):
    haizhou, ganyu = SchoolFactory(region_id="320706"), SchoolFactory(region_id="320707")
    TeacherFactory(school=haizhou, person__name="实习甲", category="internship", subject="汽车运用与维修")
    Person.objects.filter(pk=teacher_with_level(haizhou, "GRADE2").person_id).update(name="专业乙")
    TeacherFactory(school=ganyu, person__name="离任丙", left_on=datetime.date(2026, 1, 1))
    names = {t.person.name for t in rows(login(personas.city).get("/schools/teachers/", params))}
    assert names == expected


def test_teacher_list_query_count_does_not_grow_with_rows(campus, personas, login):
    client = login(personas.city)
    client.get("/schools/teachers/")
    with CaptureQueriesContext(connection) as few:
        client.get("/schools/teachers/")
    for _ in range(15):
        teacher_with_level(campus["far"], "GRADE3")
    with CaptureQueriesContext(connection) as many:
        client.get("/schools/teachers/")
    assert len(many) == len(few)


def test_school_list_query_count_does_not_grow_with_schools(campus, personas, login):
    client = login(personas.city)
    with CaptureQueriesContext(connection) as few:
        client.get("/schools/")
    for _ in range(5):
        DemonstrationFactory(school=teacher_with_level(SchoolFactory(), "GRADE3").school)
    with CaptureQueriesContext(connection) as many:
        client.get("/schools/")
    assert len(many) == len(few)


def test_teacher_export_is_masked_scoped_and_audited(campus, login):
    client = login(campus["operator"])
    response = client.get("/schools/teachers/", {"export": "xlsx"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    table = book.get_sheet_by_index(0).to_python()
    assert table[0][:5] == ["姓名", "身份证号", "学校", "教师类别", "任教专业"]
    assert len(table) == 1 + 4
    person = campus["own_teachers"][0].person
    exported = next(r for r in table if r[0] == person.name)
    assert exported[1] == person.id_masked
    assert person.id_number not in str(table)
    assert exported[3] == "专业课教师"
    assert exported[6] in ("是", "否")
    entry = AuditEntry.objects.get(action="export", object_type="schools.teacher")
    assert entry.changes["rows"] == 4


def test_teacher_form_finds_the_person_by_id_and_says_what_is_wrong(campus, login):
    client = login(campus["operator"])
    person = PersonFactory(employer=campus["own"])
    data = {
        "school": campus["own"].pk,
        "id_number": person.id_number,
        "category": "internship",
        "subject": "焊接",
    }
    response = client.post("/schools/teachers/new/", data)
    teacher = Teacher.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == f"/schools/teachers/{teacher.pk}/"
    again = client.post("/schools/teachers/new/", data)
    assert again.context["form"].non_field_errors() == [
        "%s已是海州甲中等专业学校的教师，请编辑原记录" % person.name
    ]
    stranger = PersonFactory(region_id="320707")
    missing = client.post("/schools/teachers/new/", {**data, "id_number": stranger.id_number})
    assert "人才库中没有找到该身份证号的人员" in missing.context["form"].errors["id_number"][0]
    other_school = client.post("/schools/teachers/new/", {**data, "school": campus["neighbour"].pk})
    assert "选择一个有效的选项" in other_school.context["form"].errors["school"][0]
    assert Teacher.objects.filter(person=person).count() == 1


def test_practice_and_school_year_forms_show_chinese_errors_at_their_fields(campus, login):
    client = login(campus["operator"])
    teacher = campus["own_teachers"][0]
    response = client.post(
        f"/schools/teachers/{teacher.pk}/practices/new/",
        {
            "host_name": "连云港测试装备有限公司",
            "start_on": "2025-12-20",
            "end_on": "2026-01-05",
            "days": "10",
        },
    )
    assert response.context["form"].errors["end_on"] == ["一条实践记录不能跨年，请按年度分成两条登记"]
    assert not EnterprisePractice.objects.exists()
    good = client.post(
        f"/schools/teachers/{teacher.pk}/practices/new/",
        {
            "host_name": "连云港测试装备有限公司",
            "start_on": "2025-07-01",
            "end_on": "2025-07-31",
            "days": "20",
        },
    )
    assert good.status_code == 302
    assert EnterprisePractice.objects.get().teacher == teacher

    bad_year = client.post(
        "/schools/years/new/",
        {
            "school": campus["own"].pk,
            "year": "2025",
            "training_sessions": "0",
            "training_trainees": "0",
            "training_income": "0",
            "graduates": "10",
            "graduates_certified": "12",
        },
    )
    assert bad_year.context["form"].errors["graduates_certified"] == [
        "取得证书的毕业生（12人）不能多于毕业生人数（10人）"
    ]
    assert not SchoolYear.objects.exists()


def test_school_operator_records_milestone_progress_but_cannot_create_demonstrations(campus, login):
    demonstration = DemonstrationFactory(school=campus["own"])
    milestone = MilestoneFactory(demonstration=demonstration, due_on=TODAY - datetime.timedelta(days=5))
    client = login(campus["operator"])
    page = client.get(f"/schools/demonstrations/{demonstration.pk}/").content.decode()
    assert "已逾期" in page
    assert client.get("/schools/demonstrations/new/").status_code == 403
    missing_evidence = client.post(
        f"/schools/milestones/{milestone.pk}/edit/",
        {
            "name": milestone.name,
            "due_on": milestone.due_on.isoformat(),
            "done_on": TODAY.isoformat(),
            "evidence": "",
        },
    )
    assert missing_evidence.context["form"].errors["evidence"] == ["标记完成时须填写佐证材料说明"]
    done = client.post(
        f"/schools/milestones/{milestone.pk}/edit/",
        {
            "name": milestone.name,
            "due_on": milestone.due_on.isoformat(),
            "done_on": TODAY.isoformat(),
            "evidence": "验收报告已上传",
        },
    )
    assert done.status_code == 302
    assert "逾期完成" in client.get(f"/schools/demonstrations/{demonstration.pk}/").content.decode()


def test_milestone_list_filters_overdue(personas, login):
    MilestoneFactory(name="逾期任务", due_on=TODAY - datetime.timedelta(days=1))
    MilestoneFactory(name="未到期任务", due_on=TODAY + datetime.timedelta(days=30))
    MilestoneFactory(
        name="完成任务", due_on=TODAY - datetime.timedelta(days=30), done_on=TODAY, evidence="报告"
    )
    client = login(personas.city)
    assert [m.name for m in rows(client.get("/schools/milestones/", {"state": "overdue"}))] == ["逾期任务"]
    assert {m.name for m in rows(client.get("/schools/milestones/", {"state": "pending"}))} == {
        "逾期任务",
        "未到期任务",
    }


def test_city_registers_a_demonstration_and_an_illegal_move_is_refused_on_the_form(campus, personas, login):
    client = login(personas.city)
    response = client.post(
        "/schools/demonstrations/new/",
        {"school": campus["far"].pk, "year": "2026", "status": "candidate", "note": ""},
    )
    demonstration = DemonstrationSchool.objects.get(school=campus["far"])
    assert response["Location"] == f"/schools/demonstrations/{demonstration.pk}/"
    refused = client.post(
        f"/schools/demonstrations/{demonstration.pk}/edit/",
        {"year": "2026", "status": "accepted", "note": ""},
    )
    assert refused.context["form"].errors["status"] == ["扶持状态不能从“拟扶持”改为“已建成”"]
    assert DemonstrationSchool.objects.get(pk=demonstration.pk).status == "candidate"
    enterprise = client.post(
        "/schools/demonstrations/new/",
        {"school": personas.org_haizhou.pk, "year": "2026", "status": "candidate"},
    )
    assert "school" in enterprise.context["form"].errors


def test_practice_and_school_year_lists_are_scoped(campus, login):
    PracticeFactory(teacher=campus["own_teachers"][0])
    PracticeFactory(teacher=campus["far_teacher"])
    SchoolYearFactory(school=campus["own"])
    far_year = SchoolYearFactory(school=campus["far"])
    client = login(campus["operator"])
    assert [p.teacher for p in rows(client.get("/schools/practices/"))] == [campus["own_teachers"][0]]
    assert [y.school for y in rows(client.get("/schools/years/"))] == [campus["own"]]
    assert client.get(f"/schools/years/{far_year.pk}/").status_code == 404
    assert client.get(f"/schools/years/{far_year.pk}/edit/").status_code == 404
