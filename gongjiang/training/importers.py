"""The enterprise training import KIND (``enterprise_training``): one row per enterprise and year
(培训制度, 纳入规划, 任期目标, 职代会报告日期, 各等级培训人次, 职工教育经费). The enterprise is named by
its credit code and must be registered and in the importer's scope; an existing record of the same
enterprise and year is updated. As every import, a refused row changes nothing."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection

from gongjiang.accounts.scope import scope
from gongjiang.core import converters
from gongjiang.core.validators import normalise_uscc
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, register

from .models import EnterpriseTrainingStaging

STAGING = EnterpriseTrainingStaging._meta.db_table
YES = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "无", "n", "no", "false", "0", ""}
FLAGS = ("has_training_system", "in_development_plan", "in_manager_targets")
COUNTS = ("trained_primary", "trained_intermediate", "trained_advanced", "trained_technician")
FIELDS = (*FLAGS, "congress_report_on", *COUNTS, "education_fund")


def _yes_no(value: object) -> bool:
    text = converters.Lookup.norm(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError("请填写“是”或“否”")


def _year(value: object) -> int:
    text = converters.Lookup.norm(value).removesuffix("年")
    if text.endswith(".0"):
        text = text[:-2]
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise ValidationError("年度应为四位年份，如 2026")
    return int(text)


def _count(value: object) -> int:
    text = converters.Lookup.norm(value)
    if text.endswith(".0"):
        text = text[:-2]
    if text == "":
        return 0
    if not text.isdigit() or int(text) > 10_000_000:
        raise ValidationError("人次应为不小于 0 的整数")
    return int(text)


def _money(value: object) -> Decimal:
    text = converters.Lookup.norm(value).replace(",", "").removesuffix("元")
    if text == "":
        return Decimal(0)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError("金额应为数字（元）") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError("金额应为不小于 0 的数字（元）")
    return amount.quantize(Decimal("0.01"))


@dataclass
class EnterpriseTrainingContext:
    job_id: int
    enterprises: dict[str, int]  # credit code -> id, only enterprises in the actor's scope


class EnterpriseTrainingImport(ImportKind):
    name = "enterprise_training"
    label = "企业职工培训情况"
    order = 60
    permission = "training.add_enterprisetraining"
    staging_table = STAGING
    staging_columns = ("job_id", "row_no", "organisation_id", "year", *FIELDS)
    result_keys = ("records_created", "records_updated")
    result_labels = {"records_created": "新增培训情况", "records_updated": "更新培训情况"}
    columns = (
        Column(
            "uscc",
            "统一社会信用代码",
            ("信用代码", "企业信用代码"),
            required=True,
            text_format=True,
            width=22,
        ),
        Column("name", "企业名称", ("企业", "单位名称"), width=24),
        Column("year", "年度", (), required=True, text_format=True),
        Column("has_training_system", "已建立职工教育培训制度", ("培训制度",), choices=lambda: ["是", "否"]),
        Column("in_development_plan", "纳入企业发展规划", ("纳入规划",), choices=lambda: ["是", "否"]),
        Column("in_manager_targets", "列入经营者任期目标", ("任期目标",), choices=lambda: ["是", "否"]),
        Column("congress_report_on", "向职代会报告日期", ("职代会报告日期",)),
        Column("trained_primary", "培训初级工人次", ("初级工",)),
        Column("trained_intermediate", "培训中级工人次", ("中级工",)),
        Column("trained_advanced", "培训高级工人次", ("高级工",)),
        Column("trained_technician", "培训技师及以上人次", ("技师及以上",)),
        Column("education_fund", "职工教育经费支出（元）", ("职工教育经费",)),
    )
    instructions = (
        "每行一个企业一个年度：按统一社会信用代码和年度识别，已填报的按本表更新。",
        "企业须已在“单位”中登记且在您的数据范围内；企业名称仅供核对。",
        "是否类列填“是”或“否”，空白视为“否”；人次和金额空白视为 0。",
    )

    def start(self, *, actor, job_id: int) -> EnterpriseTrainingContext:
        from gongjiang.orgs.models import Organisation

        enterprises = dict(
            scope(Organisation.objects.filter(kind="enterprise"), actor, "view").values_list("uscc", "pk")
        )
        return EnterpriseTrainingContext(job_id=job_id, enterprises=enterprises)

    def convert(self, ctx: EnterpriseTrainingContext, number: int, values: dict, errors: RowErrors):
        get = functools.partial(errors.take, values)
        uscc = get("uscc", normalise_uscc)
        year = get("year", _year)
        flags = [get(flag, _yes_no) for flag in FLAGS]
        report = get("congress_report_on", converters.date, earliest=datetime.date(2000, 1, 1))
        counts = [get(key, _count) for key in COUNTS]
        fund = get("education_fund", _money)
        if errors:
            return None
        organisation = ctx.enterprises.get(uscc)
        if organisation is None:
            errors.add("uscc", values.get("uscc"), "该企业尚未登记或不在您的数据范围内")
            return None
        return (ctx.job_id, number, organisation, year, *flags, report, *counts, fund)

    def merge(self, ctx: EnterpriseTrainingContext, *, job_id: int) -> MergeOutcome:
        s = STAGING
        last = f"SELECT MAX(row_no) FROM {s} WHERE job_id = %s GROUP BY organisation_id, year"
        sets = ", ".join(
            f"""{f} = (SELECT st.{f} FROM {s} st WHERE st.job_id = %s AND st.row_no IN ({last})
                AND st.organisation_id = training_enterprisetraining.organisation_id
                AND st.year = training_enterprisetraining.year)"""
            for f in FIELDS
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE training_enterprisetraining SET {sets}, updated_at = CURRENT_TIMESTAMP
                WHERE EXISTS (SELECT 1 FROM {s} st WHERE st.job_id = %s
                    AND st.organisation_id = training_enterprisetraining.organisation_id
                    AND st.year = training_enterprisetraining.year)
                """,
                [job_id, job_id] * len(FIELDS) + [job_id],
            )
            updated = cursor.rowcount
            columns = ", ".join(FIELDS)
            cursor.execute(
                f"""
                INSERT INTO training_enterprisetraining
                    (organisation_id, year, {columns}, created_at, updated_at)
                SELECT st.organisation_id, st.year, {", ".join("st." + f for f in FIELDS)},
                    CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
                FROM {s} st
                WHERE st.job_id = %s AND st.row_no IN ({last})
                  AND NOT EXISTS (SELECT 1 FROM training_enterprisetraining e
                      WHERE e.organisation_id = st.organisation_id AND e.year = st.year)
                """,
                [job_id, job_id],
            )
            created = cursor.rowcount
        return MergeOutcome(counts={"records_created": created, "records_updated": updated})


register(EnterpriseTrainingImport())
