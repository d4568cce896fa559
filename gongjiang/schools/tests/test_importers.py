"""The teachers import KIND through the one pipeline: good rows, bad rows with Chinese errors that
name row, column and value, a second import that changes nothing, scope."""

import random

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.scope import SYSTEM
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.common.demo import make_name, make_resident_id
from gongjiang.jobs import files
from gongjiang.jobs.choices import JobStatus
from gongjiang.jobs.tests.helpers import command, run, write_csv, write_xlsx
from gongjiang.schools.models import Teacher
from gongjiang.schools.selectors import teacher_share
from gongjiang.schools.tests.factories import SchoolFactory, TeacherFactory
from gongjiang.talents.models import Certificate, Person, RosterStaging
from gongjiang.talents.services import resident_id_digest

pytestmark = pytest.mark.django_db

HEADERS = [
    "学校",
    "教师类别",
    "任教专业",
    "姓名",
    "身份证号",
    "证书类型",
    "技能等级",
    "证书编号",
    "发证日期",
    "发证机构",
]


def error_rows(job):
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]


def teacher_rows(school_ref: str, n: int, *, seed: int = 3, levels=("三级", "技师", "四级")) -> list[list]:
    rng = random.Random(seed)
    return [
        [
            school_ref,
            rng.choice(["专业课教师", "实习指导教师"]),
            rng.choice(["数控技术应用", "汽车运用与维修", "电气技术应用"]),
            make_name(rng),
            make_resident_id(rng),
            "职业技能等级证书",
            levels[i % len(levels)],
            f"Y{seed:04d}{i:017d}",
            "2025-06-30",
            "连云港技师学院",
        ]
        for i in range(n)
    ]


@pytest.fixture
def schools():
    return {
        "haizhou": SchoolFactory(name="海州测试中等专业学校", region_id="320706"),
        "ganyu": SchoolFactory(name="赣榆测试技工学校", region_id="320707", kind="technical_school"),
    }


def test_good_rows_create_persons_certificates_and_teachers_of_the_school(tmp_path, personas, schools):
    school = schools["haizhou"]
    rows = teacher_rows(school.name, 6) + teacher_rows(school.uscc.lower(), 3, seed=4)
    job = run(write_xlsx(tmp_path / "教师名册.xlsx", rows, headers=HEADERS), personas.city, kind="teachers")
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result["teachers_created"] == 9
    assert job.result["persons_created"] == 9
    assert job.result["certificates_created"] == 9
    assert job.result["organisations_created"] == 0
    teacher = Teacher.objects.get(person__id_digest=resident_id_digest(rows[0][4]))
    assert teacher.school == school
    assert teacher.get_category_display() == rows[0][1]
    assert teacher.subject == rows[0][2]
    # Person columns default to the school: its county and, as employer, the school itself.
    assert (teacher.person.region_id, teacher.person.employer_id) == ("320706", school.pk)
    assert teacher.person.highest_level_id == "GRADE3"
    share = teacher_share(school=school, user=SYSTEM)
    assert (share["high"], share["total"]) == (6, 9)  # 三级 and 技师 count, 四级 does not
    assert not RosterStaging.objects.exists()  # the borrowed roster staging rows are cleared
    assert AuditEntry.objects.filter(action="import.commit", object_id=str(job.pk)).count() == 1


def test_second_import_of_the_same_file_changes_nothing(tmp_path, personas, schools):
    path = write_csv(tmp_path / "t.csv", teacher_rows(schools["haizhou"].name, 12), headers=HEADERS)
    first = run(path, personas.city, kind="teachers")
    before = list(Teacher.objects.order_by("id").values_list("id", "updated_at"))
    people = list(Person.objects.order_by("id").values_list("id", "updated_at"))
    second = run(path, personas.city, kind="teachers")
    assert first.result["teachers_created"] == 12
    assert second.status == JobStatus.SUCCEEDED
    assert (second.result["teachers_created"], second.result["teachers_updated"]) == (0, 0)
    assert second.result["teachers_unchanged"] == 12
    assert second.result["persons_unchanged"] == 12
    assert second.result["certificates_unchanged"] == 12
    assert list(Teacher.objects.order_by("id").values_list("id", "updated_at")) == before
    assert list(Person.objects.order_by("id").values_list("id", "updated_at")) == people


def test_changed_subject_and_returning_teacher_are_updated(tmp_path, personas, schools):
    rows = teacher_rows(schools["haizhou"].name, 3)
    run(write_csv(tmp_path / "a.csv", rows, headers=HEADERS), personas.city, kind="teachers")
    Teacher.objects.filter(person__id_digest=resident_id_digest(rows[1][4])).update(left_on="2026-09-01")
    rows[0][2] = "工业机器人技术应用"
    job = run(write_csv(tmp_path / "b.csv", rows, headers=HEADERS), personas.city, kind="teachers")
    assert (job.result["teachers_updated"], job.result["teachers_unchanged"]) == (2, 1)
    assert (
        Teacher.objects.get(person__id_digest=resident_id_digest(rows[0][4])).subject == "工业机器人技术应用"
    )
    assert Teacher.objects.get(person__id_digest=resident_id_digest(rows[1][4])).left_on is None


def test_bad_rows_are_reported_in_chinese_with_row_column_and_value(tmp_path, personas, schools):
    rows = teacher_rows(schools["haizhou"].name, 6)
    rows[0][0] = "不存在的职业学校"
    rows[1][1] = "校长"
    rows[2][2] = ""
    rows[3][4] = rows[3][4][:-1] + ("0" if rows[3][4][-1] != "0" else "1")
    rows[4][6] = "九级"
    rows[5][0] = personas.org_haizhou.name  # an enterprise, not a school
    teachers = Teacher.objects.count()
    job = run(write_xlsx(tmp_path / "bad.xlsx", rows, headers=HEADERS), personas.city, kind="teachers")
    assert job.status == JobStatus.REJECTED
    assert (job.result["rejected"], job.result["accepted"]) == (6, 0)
    assert Teacher.objects.count() == teachers
    reasons = {int(r[0]): r[-1] for r in error_rows(job)}
    assert reasons[2] == "学校“不存在的职业学校”：无法识别的学校"
    assert reasons[3] == "教师类别“校长”：无法识别的教师类别"
    assert reasons[4] == "任教专业：任教专业不能为空"
    assert reasons[5].startswith("身份证号“")
    assert "校验位错误" in reasons[5]
    assert reasons[6].startswith("技能等级“九级”：")
    assert reasons[7] == "学校“%s”：无法识别的学校" % personas.org_haizhou.name
    assert "所属县区" not in reasons[2]  # no county is asked for when the school is unknown


def test_school_operator_imports_only_its_own_school(tmp_path, schools):
    operator = UserFactory(role=Role.ORG_OPERATOR, organisation=schools["haizhou"])
    rows = teacher_rows(schools["haizhou"].name, 2) + teacher_rows(schools["ganyu"].name, 1, seed=9)
    job = run(write_csv(tmp_path / "t.csv", rows, headers=HEADERS), operator, kind="teachers")
    assert job.status == JobStatus.REJECTED
    (row,) = error_rows(job)
    assert int(row[0]) == 4
    assert row[-1] == "学校“赣榆测试技工学校”：该学校不在您的数据范围内"
    del rows[2]
    job = run(write_csv(tmp_path / "t2.csv", rows, headers=HEADERS), operator, kind="teachers")
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert set(Teacher.objects.values_list("school__name", flat=True)) == {"海州测试中等专业学校"}


def test_school_operator_cannot_take_over_a_person_registered_elsewhere(tmp_path, personas, schools):
    operator = UserFactory(role=Role.ORG_OPERATOR, organisation=schools["haizhou"])
    rows = teacher_rows(schools["haizhou"].name, 1)
    rows[0][4] = personas.person_ganyu.id_number
    job = run(write_csv(tmp_path / "t.csv", rows, headers=HEADERS), operator, kind="teachers")
    assert job.status == JobStatus.REJECTED
    assert "该人员已有档案" in error_rows(job)[0][-1]  # refused without saying where it is on file
    assert not Teacher.objects.exists()
    assert Person.objects.get(pk=personas.person_ganyu.pk).employer == personas.org_ganyu


def test_certificate_columns_are_optional_and_existing_persons_are_linked(tmp_path, personas, schools):
    existing = TeacherFactory(school=schools["ganyu"]).person
    path = write_csv(
        tmp_path / "t.csv",
        [[schools["haizhou"].uscc, "实习指导教师", "焊接技术应用", existing.name, existing.id_number]],
        headers=HEADERS[:5],
    )
    job = run(path, personas.city, kind="teachers")
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert (job.result["teachers_created"], job.result["persons_created"]) == (1, 0)
    assert set(existing.teaching_posts.values_list("school__name", flat=True)) == {
        "海州测试中等专业学校",
        "赣榆测试技工学校",
    }
    assert not Certificate.objects.filter(person=existing).exists()


def test_import_command_with_the_teachers_kind(tmp_path, personas, schools):
    path = write_csv(tmp_path / "t.csv", teacher_rows(schools["ganyu"].name, 4), headers=HEADERS)
    code, summary, _text = command("teachers", str(path), "--as", personas.city.username)
    assert code == 0
    assert summary["teachers_created"] == 4
