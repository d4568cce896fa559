"""The spending import KIND (``spending``): money spent from a funding source on a measure, one row
per payment (资金来源, 措施, 支出日期, 金额, 用途). As every import, the file is taken whole by
default, and a refused row changes nothing."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongjiang.core import converters
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, register

from .choices import SpendingOrigin
from .models import NUMERALS, FundingSource, Measure, SpendingStaging

STAGING = SpendingStaging._meta.db_table


def _amount(value: object) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise ValidationError("金额应为数字") from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError("金额应大于 0")
    if amount >= Decimal("1e12"):
        raise ValidationError("金额过大，请核对")
    return amount.quantize(Decimal("0.01"))


@dataclass
class SpendingContext:
    job_id: int
    actor_id: int | None
    sources: converters.Lookup
    measures: converters.Lookup


class SpendingImport(ImportKind):
    name = "spending"
    label = "资金支出"
    order = 80
    permission = "plan.add_spending"
    staging_table = STAGING
    staging_columns = ("job_id", "row_no", "source_id", "measure_id", "spent_on", "amount", "description")
    result_keys = ("spending_created",)
    result_labels = {"spending_created": "新增支出记录"}
    columns = (
        Column(
            "source",
            "资金来源",
            ("资金", "来源"),
            required=True,
            width=20,
            choices=lambda: list(FundingSource.objects.values_list("name", flat=True)),
        ),
        Column("measure", "措施", ("政策措施", "措施序号"), required=True, help="填“二”“措施二”或 2"),
        Column("spent_on", "支出日期", ("日期",), required=True),
        Column("amount", "金额（元）", ("金额", "支出金额"), required=True),
        Column("description", "用途", ("支出用途", "说明", "项目"), required=True, width=30),
    )
    instructions = (
        "每行一笔支出：资金来源须是平台中已有的资金来源（如就业补助资金、职业教育专项资金、人才发展专项）。",
        "措施可填中文序号（二）、“措施二”或数字（2）；人才待遇发放由平台自动计入，无需导入。",
    )

    def start(self, *, actor, job_id: int) -> SpendingContext:
        measures = {}
        for number in Measure.objects.values_list("number", flat=True):
            numeral = NUMERALS[number - 1]
            measures.update({str(number): number, numeral: number, "措施" + numeral: number})
        return SpendingContext(
            job_id=job_id,
            actor_id=getattr(actor, "pk", None),
            sources=converters.Lookup(
                "资金来源", {n: pk for pk, n in FundingSource.objects.values_list("pk", "name")}
            ),
            measures=converters.Lookup("措施", measures),
        )

    def convert(self, ctx: SpendingContext, number: int, values: dict, errors: RowErrors) -> tuple | None:
        get = functools.partial(errors.take, values)
        raw_measure = values.get("measure")
        if isinstance(raw_measure, float) and raw_measure.is_integer():
            values = {**values, "measure": str(int(raw_measure))}
        source = get("source", ctx.sources)
        measure = get("measure", ctx.measures)
        spent_on = get("spent_on", converters.date, earliest=datetime.date(2026, 1, 1))
        amount = get("amount", _amount)
        description = get("description", converters.text, max_length=200)
        for key, value, label in (
            ("source", source, "资金来源"),
            ("measure", measure, "措施"),
            ("spent_on", spent_on, "支出日期"),
            ("description", description, "用途"),
        ):
            if value is None and not any(item[0] == key for item in errors.items):
                errors.add(key, values.get(key), "%s不能为空" % label)
        if errors:
            return None
        return (ctx.job_id, number, source, measure, spent_on, amount, description)

    def merge(self, ctx: SpendingContext, *, job_id: int) -> MergeOutcome:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO plan_spending
                    (source_id, measure_id, spent_on, amount, description, origin, created_by_id, created_at)
                SELECT st.source_id, st.measure_id, st.spent_on, st.amount, st.description, %s, %s, %s
                FROM {STAGING} st WHERE st.job_id = %s ORDER BY st.row_no
                """,
                [SpendingOrigin.IMPORT, ctx.actor_id, timezone.now(), job_id],
            )
            created = cursor.rowcount
        return MergeOutcome(counts={"spending_created": created})


register(SpendingImport())
