"""The organisations import KIND."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongjiang.accounts.scope import row_in_scope
from gongjiang.core import converters
from gongjiang.core.models import Domain, Region
from gongjiang.core.selectors import domain_lookup, region_lookup
from gongjiang.core.validators import normalise_uscc
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, changes_every_row, register

from .choices import OrgKind, OrgSize
from .models import Organisation, OrganisationStaging, WageReportStaging
from .signals import organisations_changed

STAGING = OrganisationStaging._meta.db_table
YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", ""}
FLAGS = ("is_chain_leader", "is_industry_leader", "is_specialised", "is_state_owned")
FIELDS = ("name", "kind", "region_id", "domain_id", "size", *FLAGS, "address", "contact_name")


def _yes_no(value: object) -> bool:
    text = converters.Lookup.norm(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError("请填写“是”或“否”")


@dataclass
class OrganisationContext:
    actor: object
    job_id: int
    regions: converters.Lookup
    domains: converters.Lookup
    kinds: converters.Lookup
    sizes: converters.Lookup
    existing: dict[str, int]


class OrganisationImport(ImportKind):
    name = "organisations"
    label = "单位名录"
    order = 20
    permission = "orgs.add_organisation"
    staging_table = STAGING
    result_keys = ("organisations_created", "organisations_updated", "organisations_unchanged")
    columns = (
        Column(
            "name",
            "单位名称",
            ("名称", "工作单位", "企业名称", "学校名称", "机构名称"),
            required=True,
            width=30,
        ),
        Column(
            "uscc",
            "统一社会信用代码",
            ("信用代码", "社会信用代码"),
            required=True,
            text_format=True,
            width=22,
        ),
        Column(
            "kind",
            "单位类别",
            ("类别", "单位类型", "类型"),
            choices=lambda: [label for _v, label in OrgKind.choices],
        ),
        Column(
            "region",
            "所属县区",
            ("县区", "所在县区", "区县"),
            required=True,
            choices=lambda: list(Region.objects.exclude(kind="city").values_list("name", flat=True)),
        ),
        Column(
            "domain",
            "重点领域",
            ("领域",),
            choices=lambda: list(Domain.objects.values_list("name", flat=True)),
        ),
        Column(
            "size", "规模", ("企业规模", "单位规模"), choices=lambda: [label for _v, label in OrgSize.choices]
        ),
        Column("is_chain_leader", "链主企业", ("是否链主企业",), choices=lambda: ["是", "否"]),
        Column("is_industry_leader", "行业龙头", ("是否行业龙头", "龙头企业"), choices=lambda: ["是", "否"]),
        Column("is_specialised", "专精特新", ("是否专精特新", "专精特新企业"), choices=lambda: ["是", "否"]),
        Column("is_state_owned", "国有企业", ("是否国有企业", "国企"), choices=lambda: ["是", "否"]),
        Column("address", "地址", ("单位地址", "注册地址"), width=30),
        Column("contact_name", "联系人", ("联系人姓名",), width=10),
    )
    staging_columns = ("job_id", "row_no", "name", "uscc", *FIELDS[1:])
    instructions = (
        "每行一个单位，按统一社会信用代码识别：已登记的单位按本表更新，未登记的新增。",
        "标识列（链主企业、行业龙头、专精特新、国有企业）填“是”或“否”，空白视为“否”。",
    )

    def start(self, *, actor, job_id: int) -> OrganisationContext:
        kinds = {label: value for value, label in OrgKind.choices} | {v: v for v in OrgKind.values}
        sizes = {label: value for value, label in OrgSize.choices} | {v: v for v in OrgSize.values}
        sizes.update({"大型企业": "large", "中型企业": "medium", "小型企业": "small", "微型企业": "micro"})
        return OrganisationContext(
            actor=actor,
            job_id=job_id,
            regions=region_lookup(),
            domains=domain_lookup(),
            kinds=converters.Lookup("单位类别", kinds),
            sizes=converters.Lookup("规模", sizes),
            existing=dict(Organisation.objects.values_list("uscc", "pk")),
        )

    def convert(self, ctx: OrganisationContext, number: int, values: dict, errors: RowErrors) -> tuple | None:
        get = functools.partial(errors.take, values)

        name = get("name", converters.text, max_length=120)
        if not name and not errors:
            errors.add("name", None, "单位名称不能为空")
        uscc = get("uscc", normalise_uscc)
        region = get("region", ctx.regions)
        if region is None and values.get("region") in (None, ""):
            errors.add("region", None, "所属县区不能为空")
        kind = get("kind", ctx.kinds) or OrgKind.ENTERPRISE
        domain = get("domain", ctx.domains)
        size = get("size", ctx.sizes) or ""
        flags = [get(flag, _yes_no) for flag in FLAGS]
        address = get("address", converters.text, max_length=200) or ""
        contact = get("contact_name", converters.text, max_length=40) or ""
        if errors:
            return None
        if not row_in_scope(Organisation, ctx.actor, {"region": region, "pk": ctx.existing.get(uscc)}):
            errors.add("region", values.get("region"), "该单位不在您的数据范围内")
            return None
        return (
            ctx.job_id,
            number,
            name,
            uscc,
            kind,
            region,
            domain,
            size,
            *(bool(f) for f in flags),
            address,
            contact,
        )

    def check_batch(self, ctx: OrganisationContext, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        return self.refuse_existing_out_of_scope(
            model=Organisation,
            field="uscc",
            keys={number: staged[3] for number, staged in rows},
            actor=ctx.actor,
            reason="该单位已登记在其他县区，不在您的数据范围内",
        )

    def checks_batches(self, ctx: OrganisationContext) -> bool:
        return not changes_every_row(Organisation, ctx.actor)

    def merge(self, ctx: OrganisationContext, *, job_id: int) -> MergeOutcome:
        s, o = STAGING, "orgs_organisation"
        now = timezone.now()
        first = f"SELECT MIN(row_no) FROM {s} WHERE job_id = %s GROUP BY uscc"
        distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(DISTINCT uscc) FROM {s} WHERE job_id = %s", [job_id])
            total = cursor.fetchone()[0]
            cols = ", ".join(FIELDS)
            cursor.execute(
                f"""
                INSERT INTO {o} (uscc, {cols}, created_at, updated_at)
                SELECT st.uscc, {", ".join("st." + f for f in FIELDS)}, %s, %s FROM {s} st
                WHERE st.job_id = %s AND st.row_no IN ({first})
                  AND NOT EXISTS (SELECT 1 FROM {o} WHERE {o}.uscc = st.uscc)
                """,
                [now, now, job_id, job_id],
            )
            created = cursor.rowcount
            cursor.execute(
                f"""
                UPDATE {o} SET {", ".join(f"{f} = st.{f}" for f in FIELDS)}, updated_at = %s
                FROM (SELECT * FROM {s} WHERE job_id = %s AND row_no IN ({first})) st
                WHERE {o}.uscc = st.uscc AND ({" OR ".join(f"{o}.{f} {distinct} st.{f}" for f in FIELDS)})
                """,
                [now, job_id, job_id],
            )
            updated = cursor.rowcount
        if updated:
            organisations_changed.send(sender=Organisation)
        return MergeOutcome(
            counts={
                "organisations_created": created,
                "organisations_updated": updated,
                "organisations_unchanged": total - created - updated,
            }
        )


register(OrganisationImport())


# --- wage reports (措施七) ------------------------------------------------------------------------

WAGE_STAGING = WageReportStaging._meta.db_table
WAGE_COLUMNS = (
    "staff_count",
    "staff_avg_wage",
    "skilled_count",
    "skilled_avg_wage",
    "high_skilled_count",
    "high_skilled_avg_wage",
    "principal_count",
    "principal_avg_wage",
    "senior_title_count",
    "senior_title_avg_wage",
    "has_annuity",
)


@dataclass
class WageContext:
    actor: object
    job_id: int
    today: object
    in_scope: dict[str, tuple[int, str]]  # uscc → (organisation id, kind), the actor's
    registered: set[str]
    minimum_rows: list
    minimums: dict[int, int | None]


class WageReportImport(ImportKind):
    """Enterprises' annual wage reports, filed in bulk by the city or a county (an enterprise files
    its own on the form). One row per enterprise and year; a report already filed is replaced."""

    name = "wage_reports"
    label = "企业工资报告"
    order = 60
    permission = "orgs.import_wagereport"
    staging_table = WAGE_STAGING
    staging_columns = ("job_id", "row_no", "organisation_id", "year", *WAGE_COLUMNS)
    result_keys = ("wage_reports_created", "wage_reports_updated")
    result_labels = {"wage_reports_created": "新增工资报告", "wage_reports_updated": "更新工资报告"}
    columns = (
        Column(
            "uscc",
            "统一社会信用代码",
            ("信用代码", "社会信用代码"),
            required=True,
            text_format=True,
            width=22,
        ),
        Column("name", "企业名称", ("单位名称", "名称"), width=30),
        Column("year", "年度", ("报告年度", "工资年度"), required=True, text_format=True),
        Column("staff_count", "职工人数", ("全部职工人数", "职工总数"), required=True),
        Column("staff_avg_wage", "职工人均年工资", ("职工人均工资", "职工年平均工资")),
        Column("skilled_count", "技能人才人数", ("技能人才数",), required=True),
        Column("skilled_avg_wage", "技能人才人均年工资", ("技能人才人均工资", "技能人才年平均工资")),
        Column("high_skilled_count", "高技能人才人数", ("高技能人才数",), required=True),
        Column("high_skilled_avg_wage", "高技能人才人均年工资", ("高技能人才人均工资",)),
        Column("principal_count", "特级技师首席技师人数", ("特级技师、首席技师人数", "特级首席技师人数")),
        Column(
            "principal_avg_wage",
            "特级技师首席技师人均年工资",
            ("特级技师、首席技师人均年工资", "特级首席技师人均年工资"),
        ),
        Column("senior_title_count", "正高级职称人员人数", ("正高级人数",)),
        Column("senior_title_avg_wage", "正高级职称人员人均年工资", ("正高级人均年工资",)),
        Column(
            "has_annuity", "已建立企业年金", ("企业年金", "是否建立企业年金"), choices=lambda: ["是", "否"]
        ),
    )
    instructions = (
        "每行一家企业一个年度的工资情况，按统一社会信用代码和年度识别：已报送的按本表替换。企业须已在单位名录中登记。",
        "人均年工资以元为单位，为该类人员全年工资总额 ÷ 平均人数；人数为 0 的类别人均年工资留空。",
        "人均年工资不得低于江苏省最低工资标准折合的年工资（月标准 × 12）；高技能人才人数不得多于技能人才人数，"
        "技能人才人数不得多于职工人数。",
    )

    def start(self, *, actor, job_id: int) -> WageContext:
        from gongjiang.core.validators import local_today

        from .selectors import minimum_wage_table

        return WageContext(
            actor=actor,
            job_id=job_id,
            today=local_today(),
            in_scope={
                uscc: (pk, kind)
                for uscc, pk, kind in Organisation.objects.for_user(actor, "view").values_list(
                    "uscc", "pk", "kind"
                )
            },
            registered=set(Organisation.objects.values_list("uscc", flat=True)),
            minimum_rows=minimum_wage_table(),
            minimums={},
        )

    def convert(self, ctx: WageContext, number: int, values: dict, errors: RowErrors) -> tuple | None:
        from . import wages

        get = functools.partial(errors.take, values)
        uscc = get("uscc", normalise_uscc)
        year = get("year", wages.year, today=ctx.today)
        if year is None and not errors:
            errors.add("year", values.get("year"), "年度不能为空")
        parsed = {}
        for key in WAGE_COLUMNS[:-1]:
            parsed[key] = get(key, wages.count if key.endswith("_count") else wages.wage)
        parsed["has_annuity"] = bool(get("has_annuity", _yes_no))
        for key in ("staff_count", "skilled_count", "high_skilled_count"):
            if parsed[key] is None and values.get(key) in (None, ""):
                errors.add(key, None, "%s不能为空" % self.header_of(key))
        if errors:
            return None
        organisation = ctx.in_scope.get(uscc)
        if organisation is None:
            if uscc in ctx.registered:
                errors.add("uscc", values.get("uscc"), "该企业不在您的数据范围内")
            else:
                errors.add("uscc", values.get("uscc"), "单位名录中没有该统一社会信用代码，请先登记企业")
            return None
        if organisation[1] != OrgKind.ENTERPRISE:
            errors.add("uscc", values.get("uscc"), "该单位不是企业，只有企业报送工资情况")
            return None
        if year not in ctx.minimums:
            ctx.minimums[year] = wages.annual_minimum(ctx.minimum_rows, year)
        for key in ("principal_count", "senior_title_count"):
            parsed[key] = parsed[key] or 0
        for problem in wages.report_problems(parsed, minimum=ctx.minimums[year]):
            errors.add(problem.field, values.get(problem.field), problem.message)
        if errors:
            return None
        return (ctx.job_id, number, organisation[0], year, *(parsed[key] for key in WAGE_COLUMNS))

    def header_of(self, key: str) -> str:
        return next(c.header for c in self.columns if c.key == key)

    def merge(self, ctx: WageContext, *, job_id: int) -> MergeOutcome:
        s, w = WAGE_STAGING, "orgs_wagereport"
        now = timezone.now()
        actor_id = getattr(ctx.actor, "pk", None)
        last = f"SELECT MAX(row_no) FROM {s} WHERE job_id = %s GROUP BY organisation_id, year"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {w} SET {", ".join(f"{c} = st.{c}" for c in WAGE_COLUMNS)},
                    submitted_by_id = %s, updated_at = %s
                FROM (SELECT * FROM {s} WHERE job_id = %s AND row_no IN ({last})) st
                WHERE {w}.organisation_id = st.organisation_id AND {w}.year = st.year
                """,
                [actor_id, now, job_id, job_id],
            )
            updated = cursor.rowcount
            cursor.execute(
                f"""
                INSERT INTO {w} (organisation_id, year, {", ".join(WAGE_COLUMNS)},
                    submitted_by_id, created_at, updated_at)
                SELECT st.organisation_id, st.year, {", ".join("st." + c for c in WAGE_COLUMNS)}, %s, %s, %s
                FROM {s} st
                WHERE st.job_id = %s AND st.row_no IN ({last})
                  AND NOT EXISTS (SELECT 1 FROM {w} r
                      WHERE r.organisation_id = st.organisation_id AND r.year = st.year)
                """,
                [actor_id, now, now, job_id, job_id],
            )
            created = cursor.rowcount
        return MergeOutcome(counts={"wage_reports_created": created, "wage_reports_updated": updated})


register(WageReportImport())
