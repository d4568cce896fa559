"""The teachers import KIND: a school's professional teachers and internship instructors.

A teacher row is a roster row (person and, optionally, one certificate) plus the school, the
teacher category and the subject. The person and certificate columns are converted and merged by
the roster KIND itself (``talents.importers.RosterImport``), so a rule about persons or
certificates is written once; this KIND adds the school's columns and the teacher rows.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from gongjiang.core import converters
from gongjiang.jobs import staging
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, register
from gongjiang.orgs.models import Organisation
from gongjiang.talents.importers import RosterContext, RosterImport
from gongjiang.talents.models import RosterStaging

from .choices import SCHOOL_KINDS, TeacherCategory
from .models import Teacher, TeacherStaging

STAGING = TeacherStaging._meta.db_table
ROSTER_STAGING = RosterStaging._meta.db_table
TEACHER_TABLE = Teacher._meta.db_table
ROSTER = RosterImport()  # stateless: its conversion and merge of persons and certificates


def _school_choices():
    return list(Organisation.objects.filter(kind__in=SCHOOL_KINDS).values_list("name", flat=True))


@dataclass(frozen=True)
class School:
    pk: int
    uscc: str
    region_id: str


@dataclass
class TeacherContext:
    actor: object
    job_id: int
    roster: RosterContext
    schools: converters.Lookup  # name or credit code → key of ``by_key``
    by_key: dict[str, School]
    in_scope: set[int]  # the schools whose teachers the actor may add
    categories: converters.Lookup


def _optional(column: Column) -> Column:
    """The roster's 所属县区 is required there; for a teacher it defaults to the school's county."""
    if column.key == "region":
        return dataclasses.replace(column, required=False, help="不填则为学校所在县区")
    if column.key == "employer_name":
        return dataclasses.replace(column, help="兼职的企业人员填写其工作单位；不填则为本校")
    return column


class TeacherImport(ImportKind):
    name = "teachers"
    label = "职业院校教师名册"
    order = 30
    permission = "schools.add_teacher"
    staging_table = STAGING
    result_keys = (
        "teachers_created",
        "teachers_updated",
        "teachers_unchanged",
        *RosterImport.result_keys,
    )
    columns = (
        Column(
            "school",
            "学校",
            ("学校名称", "任教学校", "所在学校", "学校统一社会信用代码"),
            required=True,
            choices=_school_choices,
            width=28,
            help="学校名称或统一社会信用代码（须是已登记的职业学校或技工学校）",
        ),
        Column(
            "category",
            "教师类别",
            ("教师类型", "类别", "岗位类别"),
            required=True,
            choices=lambda: list(TeacherCategory.labels),
            help="专业课教师 或 实习指导教师",
        ),
        Column("subject", "任教专业", ("专业", "所教专业", "任教学科"), required=True, width=16),
        *(_optional(column) for column in RosterImport.columns),
    )
    staging_columns = (*RosterImport.staging_columns, "school_id", "category", "subject")
    instructions = (
        "每行一名教师；教师持有多张证书时写多行，教师和人员信息以第一行为准。证书列可以不填。",
        "人员按身份证号进入人才库（与“人员与证书花名册”的规则相同）；所属县区和工作单位不填时取学校的。",
        "同一学校再次导入同一教师时，按本表更新其教师类别和任教专业；已离任的教师重新出现在名册中即恢复在任。",
        "先“试导入”查看将新增、更新、不变的数量和错误行，再确认“正式导入”。",
    )

    def start(self, *, actor, job_id: int) -> TeacherContext:
        pairs: dict[str, str] = {}
        by_key: dict[str, School] = {}
        names: dict[str, int] = {}
        for pk, uscc, name, region_id in Organisation.objects.filter(kind__in=SCHOOL_KINDS).values_list(
            "pk", "uscc", "name", "region_id"
        ):
            by_key[uscc] = School(pk, uscc, region_id)
            pairs[uscc] = uscc
            names[name] = names.get(name, 0) + 1
            pairs[name] = uscc
        for name, count in names.items():
            if count > 1:
                del pairs[name]  # two schools of one name: only the credit code identifies them
        in_scope = set(
            Organisation.objects.for_user(actor, "view")
            .filter(kind__in=SCHOOL_KINDS)
            .values_list("pk", flat=True)
        )
        categories = {label: value for value, label in TeacherCategory.choices}
        categories.update({value: value for value in TeacherCategory.values})
        categories.update({"专业教师": TeacherCategory.PROFESSIONAL, "实习指导": TeacherCategory.INTERNSHIP})
        return TeacherContext(
            actor=actor,
            job_id=job_id,
            roster=ROSTER.start(actor=actor, job_id=job_id),
            schools=converters.Lookup("学校", pairs),
            by_key=by_key,
            in_scope=in_scope,
            categories=converters.Lookup("教师类别", categories),
        )

    def convert(self, ctx: TeacherContext, number: int, values: dict[str, object], errors: RowErrors):
        get = functools.partial(errors.take, values)
        school_key = get("school", ctx.schools)
        category = get("category", ctx.categories)
        subject = get("subject", converters.text, max_length=60)
        for key, value, label in (
            ("school", school_key, "学校"),
            ("category", category, "教师类别"),
            ("subject", subject, "任教专业"),
        ):
            if value is None and values.get(key) in (None, ""):
                errors.add(key, None, "%s不能为空" % label)
        school = ctx.by_key.get(school_key) if school_key else None
        if school is not None and school.pk not in ctx.in_scope:
            errors.add("school", values.get("school"), "该学校不在您的数据范围内")
            school = None
        person_values = dict(values)
        if school is not None:
            if person_values.get("region") in (None, ""):
                person_values["region"] = school.region_id
            if person_values.get("employer_name") in (None, "") and person_values.get("employer_uscc") in (
                None,
                "",
            ):
                person_values["employer_uscc"] = school.uscc
        before = len(errors.items)
        staged = ROSTER.convert(ctx.roster, number, person_values, errors)
        if school is None and values.get("region") in (None, ""):
            # Without a known school there is no county to default to; the school error says why.
            errors.items[before:] = [e for e in errors.items[before:] if e[0] != "region"]
        if errors or staged is None:
            return None
        return (*staged, school.pk, category, subject)

    def check_batch(self, ctx: TeacherContext, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        """The roster's rule: persons registered outside the actor's scope are not taken over."""
        return ROSTER.check_batch(ctx.roster, rows)

    def checks_batches(self, ctx: TeacherContext) -> bool:
        return ROSTER.checks_batches(ctx.roster)

    def merge(self, ctx: TeacherContext, *, job_id: int) -> MergeOutcome:
        """Persons and certificates through the roster merge, then the teacher rows (set-based,
        inside the pipeline's transaction)."""
        columns = ", ".join(RosterImport.staging_columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {ROSTER_STAGING} ({columns}) SELECT {columns} FROM {STAGING} WHERE job_id = %s",
                [job_id],
            )
        roster = ROSTER.merge(ctx.roster, job_id=job_id)
        staging.clear(ROSTER_STAGING, job_id)
        counts = _merge_teachers(job_id)
        return MergeOutcome(counts={**counts, **roster.counts}, conflicts=roster.conflicts)


T_TEACHERS = "teacher_merge_rows"


def _merge_teachers(job_id: int) -> dict[str, int]:
    """The teacher rows, each school's first row of each person, set-based like the roster merge
    (docs/decisions/018): one scan and a window over the job's rows into an indexed temporary
    table, the person found by one index lookup per row, then statements that join that table to
    the teachers by their unique key."""
    s, t = STAGING, TEACHER_TABLE
    now = timezone.now()
    with connection.cursor() as cursor:
        total = staging.temp_table(
            cursor,
            T_TEACHERS,
            f"""SELECT CAST(k.school_id AS INTEGER) AS school_id,
                       CAST((SELECT p.id FROM talents_person p WHERE p.id_digest = k.id_digest) AS INTEGER) AS person_id,
                       k.category, k.subject
                FROM (SELECT school_id, id_digest, category, subject,
                             ROW_NUMBER() OVER (PARTITION BY school_id, id_digest ORDER BY row_no) AS nth
                      FROM {s} WHERE job_id = %s) k
                WHERE k.nth = 1""",
            [job_id],
            indexes=["school_id, person_id"],
        )
        cursor.execute(
            f"""
            INSERT INTO {t} (school_id, person_id, category, subject, left_on, created_at, updated_at)
            SELECT r.school_id, r.person_id, r.category, r.subject, NULL, %s, %s FROM {T_TEACHERS} r
            WHERE NOT EXISTS (SELECT 1 FROM {t} WHERE {t}.school_id = r.school_id AND {t}.person_id = r.person_id)
            """,
            [now, now],
        )
        created = cursor.rowcount
        cursor.execute(
            f"""
            UPDATE {t} SET category = r.category, subject = r.subject, left_on = NULL, updated_at = %s
            FROM {T_TEACHERS} r
            WHERE {t}.school_id = r.school_id AND {t}.person_id = r.person_id AND {t}.created_at <> %s
              AND ({t}.category <> r.category OR {t}.subject <> r.subject OR {t}.left_on IS NOT NULL)
            """,
            [now, now],
        )
        updated = cursor.rowcount
        staging.drop_temp(cursor, T_TEACHERS)
    return {
        "teachers_created": created,
        "teachers_updated": updated,
        "teachers_unchanged": total - created - updated,
    }


register(TeacherImport())
