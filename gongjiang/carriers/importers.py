"""The carriers import KIND: carriers already recognised (before the platform, or by the province
and the nation), registered from a list. Natural keys are resolved as the roster KIND does: the
host by its credit code, the leader by the digest of their ID number, type / level / region /
domain by name or code. Only the city admin imports: these rows skip the declaration workflow."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongjiang.accounts.scope import row_in_scope
from gongjiang.core import converters
from gongjiang.core.models import CarrierType, Domain, Region
from gongjiang.core.selectors import domain_lookup, region_lookup
from gongjiang.core.validators import clean_text, normalise_resident_id, normalise_uscc
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, register
from gongjiang.orgs.models import Organisation
from gongjiang.talents.models import Person
from gongjiang.talents.services import resident_id_digest

from .choices import ACTIVE_STATUSES, CITY_OR_ABOVE, CarrierLevel, CarrierSource, CarrierStatus, EventAction
from .models import Carrier, CarrierStaging, allowed_levels
from .selectors import rule_for
from .services import MAX_GRANT, add_years
from .workflows import CARRIER_WORKFLOW

STAGING = CarrierStaging._meta.db_table
CARRIER = Carrier._meta.db_table


def _amount(value: object) -> Decimal | None:
    text = clean_text(value).replace(",", "").replace("，", "").removesuffix("元")
    if not text:
        return None
    try:
        amount = Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationError("资助金额应为数字（单位：元）") from None
    if not Decimal("0") <= amount <= MAX_GRANT:
        raise ValidationError("资助金额应在 0 至 10,000,000 元之间")
    return amount


@dataclass
class CarrierImportContext:
    actor: object
    job_id: int
    types: converters.Lookup
    type_levels: dict[str, list[str]]
    type_names: dict[str, str]
    levels: converters.Lookup
    regions: converters.Lookup
    domains: converters.Lookup
    hosts: dict[str, int]


class CarrierImport(ImportKind):
    name = "carriers"
    label = "已认定的培养载体"
    order = 30
    permission = "carriers.recognise_carrier"
    staging_table = STAGING
    result_keys = ("carriers_created", "carriers_unchanged", "carrier_conflicts")
    result_labels = {
        "carriers_created": "新增载体",
        "carriers_unchanged": "未变化载体",
        "carrier_conflicts": "冲突载体",
    }
    columns = (
        Column("name", "载体名称", ("名称", "工作室名称", "基地名称"), required=True, width=30),
        Column(
            "carrier_type",
            "载体类型",
            ("类型", "载体类别"),
            required=True,
            choices=lambda: list(CarrierType.objects.values_list("name", flat=True)),
            width=22,
        ),
        Column(
            "level",
            "认定级别",
            ("级别", "层级"),
            required=True,
            choices=lambda: [label for _v, label in CarrierLevel.choices],
        ),
        Column(
            "host_uscc",
            "依托单位统一社会信用代码",
            ("统一社会信用代码", "信用代码", "依托单位信用代码"),
            required=True,
            text_format=True,
            width=22,
            help="依托单位须已在“单位”中登记",
        ),
        Column(
            "leader_id",
            "领办人身份证号",
            ("负责人身份证号", "领衔人身份证号", "身份证号"),
            required=True,
            text_format=True,
            width=22,
            help="领办人须已在人才库中登记；请把该列设为文本格式",
        ),
        Column(
            "leader_name", "领办人姓名", ("负责人", "领办人", "领衔人"), width=10, help="填写时须与人才库一致"
        ),
        Column(
            "region",
            "所属县区",
            ("县区", "所在县区"),
            required=True,
            choices=lambda: list(Region.objects.exclude(kind="city").values_list("name", flat=True)),
        ),
        Column(
            "domain",
            "重点领域",
            ("领域",),
            required=True,
            choices=lambda: list(Domain.objects.values_list("name", flat=True)),
        ),
        Column(
            "recognised_on", "认定日期", ("认定时间", "批准日期"), required=True, help=converters.DATE_HELP
        ),
        Column(
            "first_recognised_on",
            "首次认定日期",
            ("首次认定时间",),
            help="升级而来的载体填首次认定（市级）的日期；不填则同认定日期",
        ),
        Column("grant_amount", "资助金额（元）", ("资助金额", "补助金额"), width=14),
    )
    staging_columns = (
        "job_id",
        "row_no",
        "name",
        "carrier_type_id",
        "level",
        "host_id",
        "leader_digest",
        "leader_name",
        "region_id",
        "domain_id",
        "recognised_on",
        "first_recognised_on",
        "city_level_since",
        "grant_amount",
    )
    instructions = (
        "登记已经认定的培养载体（含省级、国家级认定的），每行一个；申报中的载体请在“培养载体”中在线申报。",
        "同一类型、同一依托单位、同一领办人的载体视为同一个：已登记且内容相同的视为未变化，内容不同的列为冲突，不会覆盖。",
        "首次认定日期决定是否计入“十五五”新建市级以上载体目标（2026—2030年首次认定为市级及以上的计入）。",
    )

    def start(self, *, actor, job_id: int) -> CarrierImportContext:
        types: dict[str, str] = {}
        type_levels: dict[str, list[str]] = {}
        type_names: dict[str, str] = {}
        for carrier_type in CarrierType.objects.all():
            types[carrier_type.code] = types[carrier_type.name] = carrier_type.code
            type_levels[carrier_type.code] = allowed_levels(carrier_type)
            type_names[carrier_type.code] = carrier_type.name
        levels = {label: value for value, label in CarrierLevel.choices} | {v: v for v in CarrierLevel.values}
        levels.update(
            {"县": "county", "市": "city", "省": "province", "国家": "national", "部级": "national"}
        )
        return CarrierImportContext(
            actor=actor,
            job_id=job_id,
            types=converters.Lookup("载体类型", types),
            type_levels=type_levels,
            type_names=type_names,
            levels=converters.Lookup("认定级别", levels),
            regions=region_lookup(),
            domains=domain_lookup(),
            hosts=dict(Organisation.objects.values_list("uscc", "pk")),
        )

    def convert(
        self, ctx: CarrierImportContext, number: int, values: dict, errors: RowErrors
    ) -> tuple | None:
        get = functools.partial(errors.take, values)
        name = get("name", converters.text, max_length=100)
        if not name and "name" not in [e[0] for e in errors.items]:
            errors.add("name", None, "载体名称不能为空")
        carrier_type = get("carrier_type", ctx.types)
        level = get("level", ctx.levels)
        uscc = get("host_uscc", normalise_uscc)
        host_id = ctx.hosts.get(uscc) if uscc else None
        if uscc and host_id is None:
            errors.add("host_uscc", values.get("host_uscc"), "该依托单位尚未登记，请先在“单位”中登记")
        rid = get("leader_id", normalise_resident_id)
        leader_name = get("leader_name", converters.text, max_length=40)
        region = get("region", ctx.regions)
        domain = get("domain", ctx.domains)
        recognised_on = get("recognised_on", converters.date, earliest=datetime.date(1990, 1, 1))
        first = get("first_recognised_on", converters.date, earliest=datetime.date(1990, 1, 1))
        grant = get("grant_amount", _amount)
        for key, value, label in (
            ("carrier_type", carrier_type, "载体类型"),
            ("level", level, "认定级别"),
            ("region", region, "所属县区"),
            ("domain", domain, "重点领域"),
            ("recognised_on", recognised_on, "认定日期"),
        ):
            if value is None and values.get(key) in (None, ""):
                errors.add(key, None, "%s不能为空" % label)
        if carrier_type and level and level not in ctx.type_levels[carrier_type]:
            errors.add(
                "level",
                values.get("level"),
                "%s不能认定为%s" % (ctx.type_names[carrier_type], CarrierLevel(level).label),
            )
        first = first or recognised_on
        if first and recognised_on and first > recognised_on:
            errors.add(
                "first_recognised_on", values.get("first_recognised_on"), "首次认定日期不能晚于认定日期"
            )
        if errors:
            return None
        if not row_in_scope(Carrier, ctx.actor, {"region": region, "host": host_id}):
            errors.add("region", values.get("region"), "该载体不在您的数据范围内")
            return None
        return (
            ctx.job_id,
            number,
            name,
            carrier_type,
            level,
            host_id,
            resident_id_digest(rid.number),
            leader_name,
            region,
            domain,
            recognised_on,
            first,
            first if level in CITY_OR_ABOVE else None,
            grant,
        )

    def check_batch(self, ctx: CarrierImportContext, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        """Leaders must be in the talent database (with the name given, and the type's minimum
        level); a host whose carrier of the type was revoked is locked out as in a declaration."""
        refused: dict[int, str] = {}
        persons = {
            digest: (name, rank)
            for digest, name, rank in Person.objects.filter(
                id_digest__in={r[6] for _n, r in rows}
            ).values_list("id_digest", "name", "highest_level__rank")
        }
        revoked: dict[tuple[str, int], datetime.date] = {}
        for type_id, host_id, on in (
            Carrier.objects.filter(status=CarrierStatus.REVOKED, host_id__in={r[5] for _n, r in rows})
            .exclude(revoked_on=None)
            .values_list("carrier_type_id", "host_id", "revoked_on")
        ):
            revoked[(type_id, host_id)] = max(on, revoked.get((type_id, host_id), on))
        rules = {type_id: rule_for(type_id) for type_id in {r[3] for _n, r in rows}}
        for number, staged in rows:
            type_id, host_id, digest, name_given, recognised_on = (
                staged[3],
                staged[5],
                staged[6],
                staged[7],
                staged[10],
            )
            rule = rules[type_id]
            person = persons.get(digest)
            if person is None:
                refused[number] = "领办人身份证号：人才库中没有这个身份证号的人员，请先登记该人员"
                continue
            if name_given and name_given != person[0]:
                refused[number] = "领办人姓名：“%s”与人才库登记的姓名不一致" % name_given
                continue
            minimum = rule.min_leader_level
            if minimum is not None and (person[1] or 0) < minimum.rank:
                refused[number] = "领办人：%s的领办人须为%s及以上" % (rule.carrier_type.name, minimum.name)
                continue
            last = revoked.get((type_id, host_id))
            if last and rule.lockout_years and recognised_on < add_years(last, rule.lockout_years):
                refused[number] = "依托单位的同类载体已于%s被撤销，%s前不得再次认定" % (
                    last.isoformat(),
                    add_years(last, rule.lockout_years).isoformat(),
                )
        return refused

    def merge(self, ctx: CarrierImportContext, *, job_id: int) -> MergeOutcome:
        return _merge_carriers(ctx, job_id)


def _merge_carriers(ctx: CarrierImportContext, job_id: int) -> MergeOutcome:
    """Set-based merge of one job's staged rows (inside the caller's transaction): new carriers
    are inserted as recognised with an import event each; rows naming a carrier already
    registered are unchanged when they agree with it and listed as conflicts when they do not."""
    s, c, now = STAGING, CARRIER, timezone.now()
    active = ", ".join(["%s"] * len(ACTIVE_STATUSES))
    key = "c.carrier_type_id = st.carrier_type_id AND c.host_id = st.host_id AND c.leader_id = p.id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {s} WHERE job_id = %s", [job_id])
        rows = cursor.fetchone()[0]
        cursor.execute(
            f"""
            INSERT INTO {c} (name, carrier_type_id, host_id, leader_id, region_id, domain_id, summary,
                applied_level, level, status, source, returned_from, step_started_on, city_round,
                first_recognised_on, city_level_since, recognised_on, grant_amount, revoked_reason,
                import_job_id, created_at, updated_at)
            SELECT st.name, st.carrier_type_id, st.host_id, p.id, st.region_id, st.domain_id, '',
                st.level, st.level, %s, %s, '', st.recognised_on, 0,
                st.first_recognised_on, st.city_level_since, st.recognised_on, st.grant_amount, '',
                %s, %s, %s
            FROM {s} st JOIN talents_person p ON p.id_digest = st.leader_digest
            WHERE st.job_id = %s
              AND st.row_no IN (SELECT MIN(row_no) FROM {s} WHERE job_id = %s
                                GROUP BY carrier_type_id, host_id, leader_digest)
              AND NOT EXISTS (SELECT 1 FROM {c} c WHERE {key} AND c.status IN ({active}))
            """,
            [
                CarrierStatus.RECOGNISED,
                CarrierSource.IMPORT,
                job_id,
                now,
                now,
                job_id,
                job_id,
                *ACTIVE_STATUSES,
            ],
        )
        created = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO workflow_event (workflow, content_type_id, object_id, at, actor_id, action,
                action_label, from_status, to_status, level, amount, note)
            SELECT %s, %s, c.id, %s, %s, %s, %s, '', %s, c.level, c.grant_amount, %s
            FROM {c} c WHERE c.import_job_id = %s
            """,
            [
                CARRIER_WORKFLOW.key,
                ContentType.objects.get_for_model(Carrier).pk,
                now,
                ctx.actor.pk,
                EventAction.IMPORT,
                EventAction.IMPORT.label,
                CarrierStatus.RECOGNISED,
                "批量导入（任务 %d）" % job_id,
                job_id,
            ],
        )
        # Every row is compared with the carrier now registered under its key.
        cursor.execute(
            f"""
            SELECT st.row_no, st.name, c.name, st.level, c.level, st.recognised_on, c.recognised_on,
                   st.first_recognised_on, c.first_recognised_on, c.status
            FROM {s} st
            JOIN talents_person p ON p.id_digest = st.leader_digest
            JOIN {c} c ON {key} AND c.status IN ({active})
            WHERE st.job_id = %s AND (
                c.status <> %s OR c.name <> st.name OR c.level <> st.level
                OR c.region_id <> st.region_id OR c.domain_id <> st.domain_id
                OR c.recognised_on <> st.recognised_on OR c.first_recognised_on <> st.first_recognised_on)
            ORDER BY st.row_no
            """,
            [*ACTIVE_STATUSES, job_id, CarrierStatus.RECOGNISED],
        )
        conflicts = [
            {
                "原行号": row[0],
                "本文件载体名称": row[1],
                "已登记载体名称": row[2],
                "本文件级别": CarrierLevel(row[3]).label,
                "已登记级别": CarrierLevel(row[4]).label if row[4] else "",
                "本文件认定日期": row[5],
                "已登记认定日期": row[6],
                "本文件首次认定日期": row[7],
                "已登记首次认定日期": row[8],
                "原因": "同一类型、依托单位和领办人的载体已登记（%s）且内容不同，未覆盖"
                % CarrierStatus(row[9]).label,
            }
            for row in cursor.fetchall()
        ]
    return MergeOutcome(
        counts={
            "carriers_created": created,
            "carriers_unchanged": rows - created - len(conflicts),
            "carrier_conflicts": len(conflicts),
        },
        conflicts=conflicts,
    )


register(CarrierImport())
