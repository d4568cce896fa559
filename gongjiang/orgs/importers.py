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
from .models import Organisation, OrganisationStaging
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
