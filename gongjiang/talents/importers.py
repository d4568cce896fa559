"""The roster import KIND: persons with their certificates (花名册)."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from gongjiang.accounts.scope import row_in_scope, scope, scope_q
from gongjiang.core import converters
from gongjiang.core.crypto import SoftwareProvider, get_provider
from gongjiang.core.models import CertificateType, Domain, Occupation, Region, SkillLevel
from gongjiang.core.selectors import domain_lookup, region_lookup
from gongjiang.core.validators import normalise_phone, normalise_resident_id, normalise_uscc
from gongjiang.jobs import staging
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, changes_every_row, register
from gongjiang.orgs.models import Organisation

from .choices import CertificateSource, CertificateStatus
from .models import Person, RosterStaging
from .services import DUPLICATE_ID_MESSAGE, derived_fields_sql
from .signals import persons_changed

STAGING = RosterStaging._meta.db_table


def _region_choices():
    return list(Region.objects.exclude(kind="city").values_list("name", flat=True))


def _level_choices():
    return list(SkillLevel.objects.exclude(code="APPRENTICE").values_list("name", flat=True))


def _domain_choices():
    return list(Domain.objects.values_list("name", flat=True))


def _cert_type_choices():
    return list(CertificateType.objects.values_list("name", flat=True))


@dataclass
class RosterContext:
    actor: object
    job_id: int
    regions: converters.Lookup
    levels: converters.LevelLookup
    cert_types: converters.Lookup
    type_levels: dict[str, set[str]]
    domains: converters.Lookup
    occupations: converters.Lookup
    org_by_uscc: dict[str, int]
    org_by_name: dict[str, int | None]
    # The organisations the actor may pick as an employer (the form's dropdown); None: every one.
    org_visible: set[int] | None
    now: object
    crypto: SoftwareProvider


class RosterImport(ImportKind):
    name = "roster"
    label = "人员与证书花名册"
    order = 10
    permission = "talents.add_person"
    staging_table = STAGING
    result_keys = (
        "persons_created",
        "persons_updated",
        "persons_unchanged",
        "certificates_created",
        "certificates_unchanged",
        "conflicts",
        "organisations_created",
    )
    columns = (
        Column("name", "姓名", ("职工姓名", "人员姓名"), required=True, width=10),
        Column(
            "id_number",
            "身份证号",
            ("公民身份号码", "身份证号码", "证件号码", "身份证", "证件号"),
            required=True,
            text_format=True,
            width=22,
            help="18位居民身份证号码；请把该列设为文本格式，避免被 Excel 改成科学计数法",
        ),
        Column("phone", "手机号", ("手机号码", "联系电话", "电话", "手机"), text_format=True, width=14),
        Column(
            "region",
            "所属县区",
            ("县区", "工作县区", "所在县区", "区县", "所属地区"),
            required=True,
            choices=_region_choices,
            help="县区或功能板块的名称或代码，如 海州区 或 320706",
        ),
        Column("employer_name", "工作单位", ("单位名称", "所在单位", "单位", "工作单位名称"), width=28),
        Column(
            "employer_uscc",
            "统一社会信用代码",
            ("单位统一社会信用代码", "信用代码", "社会信用代码"),
            text_format=True,
            width=22,
            help="尚未登记的单位会按 工作单位 + 统一社会信用代码 自动登记",
        ),
        Column("occupation_name", "职业(工种)", ("职业", "工种", "职业名称", "职业工种"), width=16),
        Column("occupation_code", "职业编码", ("职业代码", "工种代码"), text_format=True, width=12),
        Column("domain", "重点领域", ("领域", "所属领域"), choices=_domain_choices),
        Column("cert_type", "证书类型", ("证书种类", "证书类别"), choices=_cert_type_choices, width=18),
        Column(
            "level",
            "技能等级",
            ("等级", "职业技能等级", "职业资格等级", "证书等级", "级别"),
            choices=_level_choices,
            help="学徒工…首席技师，或 五级…一级；专项职业能力证书不填",
        ),
        Column("cert_number", "证书编号", ("证书号", "证书号码", "证书编码"), text_format=True, width=24),
        Column(
            "issue_date",
            "发证日期",
            ("发证时间", "取证日期", "取证时间", "获证日期"),
            help=converters.DATE_HELP,
        ),
        Column("issuer", "发证机构", ("发证单位", "评价机构", "认定机构", "鉴定机构"), width=24),
        Column("introduced_on", "引进日期", ("引进时间",), help="从市外引进的人才填写"),
    )
    staging_columns = (
        "job_id",
        "row_no",
        "name",
        "id_digest",
        "id_cipher",
        "phone_cipher",
        "phone_digest",
        "birth_date",
        "gender",
        "region_id",
        "employer_id",
        "employer_uscc",
        "employer_name",
        "occupation_id",
        "occupation_name",
        "domain_id",
        "introduced_on",
        "cert_type_id",
        "level_id",
        "cert_number",
        "issuer",
        "issue_date",
    )
    instructions = (
        "每行一张证书；同一人有多张证书时写多行，人员信息以第一行为准。没有证书的人员可以只填人员信息。",
        "同一身份证号在多个文件中的记录按身份证号合并；同一发证机构的同一证书编号已登记且内容相同的视为未变化，内容不同的列为冲突，不会覆盖。",
        "先“试导入”查看将新增、更新、不变的数量和错误行，再确认“正式导入”。默认有任何错误行时不写入；也可选择只导入正确的行。",
    )

    def start(self, *, actor, job_id: int) -> RosterContext:
        levels: dict[str, str] = {}
        for code, name, grade in SkillLevel.objects.values_list("code", "name", "grade"):
            levels[code] = code
            levels[name] = code
            if grade:
                levels[grade] = code
        cert_types: dict[str, str] = {}
        type_levels: dict[str, set[str]] = {}
        for cert_type in CertificateType.objects.prefetch_related("levels_allowed"):
            cert_types[cert_type.code] = cert_type.code
            cert_types[cert_type.name] = cert_type.code
            cert_types[cert_type.name.removesuffix("证书")] = cert_type.code
            type_levels[cert_type.code] = {level.code for level in cert_type.levels_allowed.all()}
        cert_types.update(
            {"特级技师聘任": "appointment", "首席技师聘任": "appointment", "聘任": "appointment"}
        )
        occupations: dict[str, str] = {}
        for code, name in Occupation.objects.values_list("code", "name"):
            occupations[code] = code
            occupations[name] = code
        org_by_name: dict[str, int | None] = {}
        org_by_uscc: dict[str, int] = {}
        for pk, uscc, name in Organisation.objects.values_list("pk", "uscc", "name").iterator(
            chunk_size=5000
        ):
            org_by_uscc[uscc] = pk
            org_by_name[name] = None if name in org_by_name else pk  # ambiguous names resolve to nothing
        return RosterContext(
            actor=actor,
            job_id=job_id,
            regions=region_lookup(),
            levels=converters.LevelLookup("技能等级", levels),
            cert_types=converters.Lookup("证书类型", cert_types),
            type_levels=type_levels,
            domains=domain_lookup(),
            occupations=converters.Lookup("职业", occupations),
            org_by_uscc=org_by_uscc,
            org_by_name=org_by_name,
            org_visible=None
            if scope_q(Organisation, actor) == Q()
            else set(scope(Organisation.objects.all(), actor, "view").values_list("pk", flat=True)),
            now=timezone.now(),
            crypto=get_provider(),
        )

    def convert(
        self, ctx: RosterContext, number: int, values: dict[str, object], errors: RowErrors
    ) -> tuple | None:
        get = functools.partial(errors.take, values)

        name = get("name", converters.text, max_length=40)
        if name is None and "name" not in [e[0] for e in errors.items]:
            errors.add("name", None, "姓名不能为空")
        rid = get("id_number", normalise_resident_id)
        phone = get(
            "phone", lambda v: normalise_phone(p) if (p := converters.digits(v, label="手机号")) else None
        )
        region = get("region", ctx.regions)
        if region is None and values.get("region") in (None, ""):
            errors.add("region", None, "所属县区不能为空")
        employer_name = get("employer_name", converters.text, max_length=120)
        uscc = get("employer_uscc", lambda v: normalise_uscc(v) if converters.text(v) else None)
        employer_id = None
        if uscc:
            employer_id = ctx.org_by_uscc.get(uscc)
            if employer_id is None and not employer_name:
                errors.add("employer_name", None, "单位尚未登记，须同时填写工作单位名称")
        elif employer_name:
            employer_id = ctx.org_by_name.get(employer_name)
            if employer_id is None:
                errors.add(
                    "employer_uscc", None, "单位“%s”未登记或重名，请填写其统一社会信用代码" % employer_name
                )
        if employer_id is not None and ctx.org_visible is not None and employer_id not in ctx.org_visible:
            # The same rule as the person form's employer dropdown (restrict_form_fields).
            column = "employer_uscc" if uscc else "employer_name"
            errors.add(
                column,
                values.get(column),
                "该工作单位不在您的数据范围内，不能登记为本人员的工作单位（县区管理员只能填写本县区的单位）",
            )
        occupation_name = get("occupation_name", converters.text, max_length=80)
        occupation_code = get("occupation_code", converters.digits, label="职业编码")
        occupation_id = ctx.occupations.get(occupation_code) or ctx.occupations.get(occupation_name)
        domain = get("domain", ctx.domains)
        introduced_on = get("introduced_on", converters.date)

        cert_number = get("cert_number", converters.digits, label="证书编号", max_length=40)
        level = get("level", ctx.levels)
        cert_type = get("cert_type", ctx.cert_types)
        issue_date = get("issue_date", converters.date, earliest=datetime.date(1980, 1, 1))
        issuer = get("issuer", converters.text, max_length=120)
        has_cert = bool(
            values.get("cert_number")
            or values.get("level")
            or values.get("cert_type")
            or values.get("issue_date")
        )
        if has_cert:
            if cert_type is None and "cert_type" not in [e[0] for e in errors.items]:
                cert_type = _infer_cert_type(cert_number, level)
                if cert_type is None:
                    errors.add("cert_type", None, "请填写证书类型")
            if not cert_number:
                errors.add("cert_number", None, "有证书信息时须填写证书编号")
            if issue_date is None and "issue_date" not in [e[0] for e in errors.items]:
                errors.add("issue_date", None, "有证书信息时须填写发证日期")
            if not issuer:
                errors.add("issuer", None, "有证书信息时须填写发证机构")
            if cert_type:
                allowed = ctx.type_levels.get(cert_type, set())
                if not allowed and level:
                    errors.add("level", values.get("level"), "专项职业能力证书没有技能等级，请不要填写")
                elif allowed and not level and "level" not in [e[0] for e in errors.items]:
                    errors.add("level", None, "该类证书须填写技能等级")
                elif allowed and level and level not in allowed:
                    errors.add("level", values.get("level"), "该类证书不能是这个等级")
        if errors:
            return None
        if not row_in_scope(Person, ctx.actor, {"region": region, "employer": employer_id, "user": None}):
            errors.add("region", values.get("region"), "该人员不在您的数据范围内（县区或工作单位不属于您）")
            return None
        id_number = rid.number
        crypto = ctx.crypto
        return (
            ctx.job_id,
            number,
            name,
            crypto.digest(id_number),  # = services.resident_id_digest
            crypto.encrypt(id_number),
            crypto.encrypt(phone) if phone else None,
            crypto.digest(phone) if phone else None,
            rid.birth_date,
            rid.gender,
            region,
            employer_id,
            uscc,
            employer_name,
            occupation_id,
            occupation_name,
            domain,
            introduced_on,
            cert_type if has_cert else None,
            level if has_cert else None,
            cert_number if has_cert else None,
            issuer if has_cert else None,
            issue_date if has_cert else None,
        )

    def check_batch(self, ctx: RosterContext, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        """Persons already registered outside the actor's scope may not be changed by this import."""
        return self.refuse_existing_out_of_scope(
            model=Person,
            field="id_digest",
            keys={number: staged[3] for number, staged in rows},
            actor=ctx.actor,
            reason=DUPLICATE_ID_MESSAGE,  # the same words as the form: not where the person is
        )

    def checks_batches(self, ctx: RosterContext) -> bool:
        return not changes_every_row(Person, ctx.actor)

    def merge(self, ctx: RosterContext, *, job_id: int) -> MergeOutcome:
        return _merge_roster(ctx, job_id)


def _infer_cert_type(number: str | None, level: str | None) -> str | None:
    if number and re.fullmatch(r"[YS]\d{21}", number):
        return "skill_level"
    if number and re.fullmatch(r"\d{16}", number):
        return "qualification"
    if level in ("SPECIAL", "CHIEF"):
        return "appointment"
    return None


def _distinct(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if connection.vendor == "postgresql" else f"{a} IS NOT {b}"


# The temporary tables of one merge (docs/decisions/018).
T_ORGS = "roster_merge_orgs"
T_CERTS = "roster_merge_certs"
T_LEVELS = "roster_merge_levels"
T_PERSONS = "roster_merge_persons"
T_UPDATES = "roster_merge_updates"


def _merge_roster(ctx: RosterContext, job_id: int) -> MergeOutcome:
    """Set-based merge of one job's staged rows (inside the caller's transaction), in statements
    whose cost follows the file whatever plan the database picks (docs/decisions/018):

    - staged rows are read by ``(job_id, row_no)`` only, the key of their index;
    - each person's first row, each certificate number's first row, and what the database already
      holds under each ID number and certificate number, are found once, with a single scan and
      an aggregate or window over the job's rows, and kept in temporary tables with exact
      statistics and an index on each key they are joined by;
    - every later statement starts from one of those tables and reaches the real tables through
      their unique keys (a join, or a subquery that is an index lookup per row).

    A first load (a file larger than a table) builds that table's indexes once after its insert.
    Aggregated columns that are joined on are cast to their type: SQLite gives an untyped column
    of ``CREATE TABLE … AS`` no affinity, and then cannot probe an index on it with an integer."""
    now = ctx.now
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the per-job sorts and aggregates stay in memory
        cursor.execute(f"SELECT COUNT(*) FROM {STAGING} WHERE job_id = %s", [job_id])
        incoming = cursor.fetchone()[0]
        counts = {"organisations_created": _insert_organisations(cursor, job_id, now)}
        certificate_rows, existing = _find_first_and_registered_rows(cursor, job_id)

        with staging.indexes_rebuilt(["talents_person"], incoming=incoming):
            counts["persons_created"] = _insert_persons(cursor, job_id, now)
        with staging.indexes_rebuilt(["talents_certificate"], incoming=incoming):
            counts["certificates_created"] = _insert_certificates(cursor, now)
        counts["persons_updated"] = 0
        if existing:
            counts["persons_updated"] = _update_persons(cursor, job_id, now)
        counts["persons_unchanged"] = existing - counts["persons_updated"]
        # When every row created its certificate, none can differ from what it created (a first
        # load of distinct numbers skips the comparison).
        conflicts = _conflicts(cursor) if counts["certificates_created"] < certificate_rows else []
        for table in (T_ORGS, T_CERTS, T_LEVELS, T_PERSONS, T_UPDATES):
            staging.drop_temp(cursor, table)
    counts["conflicts"] = len(conflicts)
    counts["certificates_unchanged"] = certificate_rows - counts["certificates_created"] - counts["conflicts"]
    persons_changed.send(sender=Person)  # the dashboard's aggregates follow on commit
    return MergeOutcome(counts=counts, conflicts=conflicts)


def _insert_organisations(cursor, job_id: int, now) -> int:
    """Employers named by credit code and not registered yet, from the first row that names each;
    first, because a new person's employer may be one of them."""
    staging.temp_table(
        cursor,
        T_ORGS,
        f"""SELECT employer_uscc, CAST(MIN(row_no) AS INTEGER) AS row_no FROM {STAGING}
            WHERE job_id = %s AND employer_uscc IS NOT NULL AND employer_id IS NULL GROUP BY employer_uscc""",
        [job_id],
        indexes=["row_no"],
    )
    cursor.execute(
        f"""
        INSERT INTO orgs_organisation (name, uscc, kind, region_id, size, is_chain_leader,
            is_industry_leader, is_specialised, is_state_owned, address, contact_name, created_at, updated_at)
        SELECT st.employer_name, k.employer_uscc, 'enterprise', st.region_id, '', %s, %s, %s, %s, '', '', %s, %s
        FROM {T_ORGS} k JOIN {STAGING} st ON st.job_id = %s AND st.row_no = k.row_no
        WHERE NOT EXISTS (SELECT 1 FROM orgs_organisation o WHERE o.uscc = k.employer_uscc)
        """,
        [False, False, False, False, now, now, job_id],
    )
    return cursor.rowcount


def _find_first_and_registered_rows(cursor, job_id: int) -> tuple[int, int]:
    """The three tables the merge works from; returns the number of certificate rows and of
    persons registered before this import.

    - certificates: every staged row with a certificate, its rank among the rows of its number
      (``nth`` = 1 is the row that carries the number's data) and the certificate registered
      under that number before this import (a subquery: one index lookup per row, whatever the
      planner thinks of the table's size; as a join it read all persons for 10,000 rows);
    - levels: per person, the highest level and the first high-skilled date of the certificates
      this file adds (a new person's derived fields are written with the person, once);
    - persons: each person's first row (it carries the person's data), the person registered under
      that ID number before this import, and the levels above.

    The lookups go in the order of the index they probe (the window sorts the certificate rows by
    number; the persons are sorted by digest), so that consecutive probes share index pages."""
    certificate_rows = staging.temp_table(
        cursor,
        T_CERTS,
        f"""SELECT k.*, CAST((SELECT c.id FROM talents_certificate c
                                 WHERE c.issuer = k.issuer AND c.number = k.cert_number) AS INTEGER) AS registered_id
            FROM (
                SELECT row_no, name, id_digest, cert_type_id, level_id, occupation_id, occupation_name,
                       cert_number, issuer, issue_date,
                       ROW_NUMBER() OVER (PARTITION BY issuer, cert_number ORDER BY row_no) AS nth
                FROM {STAGING} WHERE job_id = %s AND cert_number IS NOT NULL) k""",
        [job_id],
    )
    staging.temp_table(
        cursor,
        T_LEVELS,
        f"""SELECT k.id_digest, MAX(l.rank) AS top_rank,
                   MIN(CASE WHEN l.is_high_skilled THEN k.issue_date END) AS first_high
            FROM {T_CERTS} k JOIN core_skilllevel l ON l.code = k.level_id
            WHERE k.nth = 1 AND k.registered_id IS NULL
            GROUP BY k.id_digest""",
        [],
        indexes=["id_digest"],
    )
    staging.temp_table(
        cursor,
        T_PERSONS,
        f"""SELECT k.id_digest, k.row_no,
                   CAST((SELECT p.id FROM talents_person p WHERE p.id_digest = k.id_digest) AS INTEGER) AS registered_id,
                   lv.top_rank, lv.first_high
            FROM (SELECT id_digest, CAST(MIN(row_no) AS INTEGER) AS row_no FROM {STAGING}
                  WHERE job_id = %s GROUP BY id_digest ORDER BY id_digest) k
            LEFT JOIN {T_LEVELS} lv ON lv.id_digest = k.id_digest""",
        [job_id],
        # Partial: a lookup of the new persons (``registered_id IS NULL``) must not take this index.
        indexes=["row_no", "registered_id WHERE registered_id IS NOT NULL"],
    )
    cursor.execute(f"SELECT COUNT(*) FROM {T_PERSONS} WHERE registered_id IS NOT NULL")
    return certificate_rows, cursor.fetchone()[0]


def _insert_persons(cursor, job_id: int, now) -> int:
    """New persons from their first rows, with their derived fields from this file's new
    certificates, so that each new row is written once."""
    cursor.execute(
        f"""
        INSERT INTO talents_person (name, id_cipher, id_digest, phone_cipher, phone_digest, birth_date, gender,
            region_id, employer_id, occupation_id, domain_id, introduced_on, highest_level_id, high_skilled_since,
            is_high_skilled, created_at, updated_at)
        SELECT st.name, st.id_cipher, st.id_digest, COALESCE(st.phone_cipher, ''), COALESCE(st.phone_digest, ''),
               st.birth_date, st.gender, st.region_id, COALESCE(st.employer_id, o.id), st.occupation_id,
               st.domain_id, st.introduced_on, top.code,
               CASE WHEN k.first_high IS NULL THEN NULL WHEN st.introduced_on > k.first_high
                    THEN st.introduced_on ELSE k.first_high END,
               (k.first_high IS NOT NULL), %s, %s
        FROM {T_PERSONS} k JOIN {STAGING} st ON st.job_id = %s AND st.row_no = k.row_no
        LEFT JOIN orgs_organisation o ON o.uscc = st.employer_uscc
        LEFT JOIN core_skilllevel top ON top.rank = k.top_rank
        WHERE k.registered_id IS NULL
        """,
        [now, now, job_id],
    )
    return cursor.rowcount


def _update_persons(cursor, job_id: int, now) -> int:
    """Persons registered before: the first row's data where it differs (empty cells keep what is
    registered) and the derived fields, now that this file's certificates are in, in one write
    per person. The new values are worked out first, once per person, into a temporary table
    (the derived fields' subqueries would otherwise run again for the SET and for the test of
    what changed). Returns the number whose data changed: a new certificate alone leaves a person
    "unchanged" in the counts."""
    p = "talents_person"
    derived = derived_fields_sql(introduced_on=f"COALESCE(st.introduced_on, {p}.introduced_on)")
    data_changed = " OR ".join(
        [
            _distinct(f"{p}.name", "st.name"),
            _distinct(f"{p}.region_id", "st.region_id"),
            _distinct(f"COALESCE(st.employer_id, o.id, {p}.employer_id)", f"{p}.employer_id"),
            _distinct(f"COALESCE(st.occupation_id, {p}.occupation_id)", f"{p}.occupation_id"),
            _distinct(f"COALESCE(st.domain_id, {p}.domain_id)", f"{p}.domain_id"),
            _distinct(f"COALESCE(st.introduced_on, {p}.introduced_on)", f"{p}.introduced_on"),
            _distinct(f"COALESCE(st.phone_digest, {p}.phone_digest)", f"{p}.phone_digest"),
        ]
    )
    staging.temp_table(
        cursor,
        T_UPDATES,
        f"""SELECT {p}.id, st.name, st.region_id, COALESCE(st.employer_id, o.id, {p}.employer_id) AS employer_id,
                   COALESCE(st.occupation_id, {p}.occupation_id) AS occupation_id,
                   COALESCE(st.domain_id, {p}.domain_id) AS domain_id,
                   COALESCE(st.introduced_on, {p}.introduced_on) AS introduced_on,
                   CASE WHEN st.phone_digest IS NOT NULL AND st.phone_digest <> {p}.phone_digest
                        THEN st.phone_cipher ELSE {p}.phone_cipher END AS phone_cipher,
                   COALESCE(st.phone_digest, {p}.phone_digest) AS phone_digest,
                   CASE WHEN {data_changed} THEN 1 ELSE 0 END AS data_changed,
                   {derived.top} AS top_level, {derived.since} AS since
            FROM {T_PERSONS} k JOIN {STAGING} st ON st.job_id = %s AND st.row_no = k.row_no
            JOIN {p} ON {p}.id = k.registered_id
            LEFT JOIN orgs_organisation o ON o.uscc = st.employer_uscc
            WHERE k.registered_id IS NOT NULL""",
        [*derived.params, *derived.params, job_id],
        indexes=["id"],
    )
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    cursor.execute(
        f"""
        UPDATE {p} SET name = u.name, region_id = u.region_id, employer_id = u.employer_id,
            occupation_id = u.occupation_id, domain_id = u.domain_id, introduced_on = u.introduced_on,
            phone_cipher = u.phone_cipher, phone_digest = u.phone_digest,
            updated_at = CASE WHEN u.data_changed = 1 THEN %s ELSE {p}.updated_at END,
            highest_level_id = u.top_level, high_skilled_since = u.since, is_high_skilled = (u.since IS NOT NULL)
        FROM {T_UPDATES} u
        WHERE {p}.id = u.id AND (u.data_changed = 1 OR {p}.highest_level_id {distinct} u.top_level
            OR {p}.high_skilled_since {distinct} u.since OR {p}.is_high_skilled <> (u.since IS NOT NULL))
        """,
        [now],
    )
    cursor.execute(f"SELECT COUNT(*) FROM {T_UPDATES} WHERE data_changed = 1")
    return cursor.fetchone()[0]


def _insert_certificates(cursor, now) -> int:
    """A certificate row is new when it is the first of its number in the file and the number was
    not registered before this import. Its person (registered before, or just now) is an index
    lookup per row."""
    cursor.execute(
        f"""
        INSERT INTO talents_certificate (person_id, cert_type_id, level_id, occupation_id, occupation_name, number,
            issuer, issue_date, status, source, revoked_reason, created_at)
        SELECT (SELECT p.id FROM talents_person p WHERE p.id_digest = k.id_digest), k.cert_type_id, k.level_id,
               k.occupation_id, COALESCE(k.occupation_name, ''), k.cert_number, k.issuer, k.issue_date, %s, %s, '', %s
        FROM {T_CERTS} k
        WHERE k.nth = 1 AND k.registered_id IS NULL
        """,
        [CertificateStatus.VALID, CertificateSource.IMPORT, now],
    )
    return cursor.rowcount


def _conflicts(cursor) -> list[dict]:
    """Every certificate row that did not create its certificate, compared with what the database
    holds under its number: the same person, type, level and date is unchanged (or was created by
    an earlier row of the file); anything else is a conflict, listed and never overwritten."""
    cursor.execute(f"CREATE INDEX {T_CERTS}_number ON {T_CERTS} (issuer, cert_number)")
    if connection.vendor == "sqlite":
        cursor.execute(f"ANALYZE temp.{T_CERTS}")
    cursor.execute(
        f"""
        SELECT k.row_no, k.name, k.cert_number, k.issuer, k.level_id, k.issue_date, p.name, c.level_id, c.issue_date
        FROM {T_CERTS} k
        JOIN talents_certificate c ON c.issuer = k.issuer AND c.number = k.cert_number
        JOIN talents_person p ON p.id = c.person_id
        WHERE (k.nth > 1 OR k.registered_id IS NOT NULL) AND (
            p.id_digest <> k.id_digest OR c.cert_type_id <> k.cert_type_id
            OR {_distinct("c.level_id", "k.level_id")} OR c.issue_date <> k.issue_date)
        ORDER BY k.row_no
        """
    )
    return [
        {
            "原行号": row[0],
            "姓名": row[1],
            "证书编号": row[2],
            "发证机构": row[3],
            "本文件等级": row[4],
            "本文件发证日期": row[5],
            "已登记持证人": row[6],
            "已登记等级": row[7],
            "已登记发证日期": row[8],
            "原因": "证书编号已登记且内容不同，未覆盖",
        }
        for row in cursor.fetchall()
    ]


register(RosterImport())
