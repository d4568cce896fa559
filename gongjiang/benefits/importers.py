"""The bank result import KIND (``payment_results``): the bank's answer to a payment batch, one
row per line (明细编号, 金额, 结果, 失败原因). Every row must name a line that is waiting for its
result, with the same amount; a failed line returns to the next batch. As every import, the file
is taken whole by default, and a refused row changes nothing."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongjiang.core import converters
from gongjiang.jobs.registry import Column, ImportKind, MergeOutcome, RowErrors, register

from .choices import PaymentStatus
from .models import PaymentLine, PaymentResultStaging, ShortageStaging

STAGING = PaymentResultStaging._meta.db_table
PAID = {"成功", "已发放", "发放成功", "success", "paid"}
FAILED = {"失败", "发放失败", "退回", "failed", "fail"}


def _line_id(value: object) -> int:
    text = converters.Lookup.norm(value)
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit():
        raise ValidationError("明细编号应为数字（取自银行文件的“明细编号”列）")
    return int(text)


def _amount(value: object) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise ValidationError("金额应为数字") from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError("金额应大于 0")
    return amount.quantize(Decimal("0.01"))


def _result(value: object) -> bool:
    text = converters.Lookup.norm(value)
    if text in PAID:
        return True
    if text in FAILED:
        return False
    raise ValidationError("结果应为“成功”或“失败”")


@dataclass
class ResultContext:
    actor: object
    job_id: int


class PaymentResultImport(ImportKind):
    name = "payment_results"
    label = "银行发放回盘"
    order = 80
    permission = "benefits.pay_entitlement"
    staging_table = STAGING
    staging_columns = ("job_id", "row_no", "line_id", "amount", "paid", "reason")
    result_keys = ("lines_paid", "lines_failed")
    result_labels = {"lines_paid": "发放成功", "lines_failed": "发放失败"}
    columns = (
        Column("line", "明细编号", ("编号", "流水号"), required=True, text_format=True),
        Column("amount", "金额", ("金额（元）", "发放金额"), required=True),
        Column("result", "结果", ("发放结果", "处理结果"), required=True, choices=lambda: ["成功", "失败"]),
        Column("reason", "失败原因", ("原因", "备注"), width=30),
    )
    instructions = (
        "每行对应银行文件中的一笔发放明细：按“明细编号”找到待回盘的明细，金额须与明细一致。",
        "结果填“成功”或“失败”；失败须写明原因，该笔将进入下一个发放批次。",
    )

    def start(self, *, actor, job_id: int) -> ResultContext:
        return ResultContext(actor=actor, job_id=job_id)

    def convert(self, ctx: ResultContext, number: int, values: dict, errors: RowErrors) -> tuple | None:
        get = functools.partial(errors.take, values)
        line = get("line", _line_id)
        amount = get("amount", _amount)
        paid = get("result", _result)
        reason = get("reason", converters.text, max_length=200) or ""
        if paid is False and not reason:
            errors.add("reason", values.get("reason"), "发放失败须写明原因")
        if errors:
            return None
        return (ctx.job_id, number, line, amount, paid, "" if paid else reason)

    def check_batch(self, ctx: ResultContext, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        """Each row's line must be waiting for its result, with the same amount, once in the file."""
        ids = [staged[2] for _n, staged in rows]
        lines = {
            line.pk: line for line in PaymentLine.objects.filter(pk__in=ids).only("pk", "amount", "status")
        }
        refused: dict[int, str] = {}
        seen: set[int] = set()
        for number, staged in rows:
            line_id, amount = staged[2], staged[3]
            line = lines.get(line_id)
            if line is None:
                refused[number] = "明细编号 %d 不存在" % line_id
            elif line.status != PaymentStatus.PENDING:
                refused[number] = "明细 %d 已回盘（%s），不能再次回盘" % (line_id, line.get_status_display())
            elif line.amount != amount:
                refused[number] = "明细 %d 的金额为 %s 元，回盘金额 %s 元不一致" % (
                    line_id,
                    line.amount,
                    amount,
                )
            elif line_id in seen:
                refused[number] = "明细 %d 在本文件中重复" % line_id
            seen.add(line_id)
        return refused

    def checks_batches(self, ctx: ResultContext) -> bool:
        return True

    def merge(self, ctx: ResultContext, *, job_id: int) -> MergeOutcome:
        now = timezone.now()
        counts = {}
        with connection.cursor() as cursor:
            for paid, key in ((True, "lines_paid"), (False, "lines_failed")):
                cursor.execute(
                    f"""
                    UPDATE benefits_paymentline SET status = %s, settled_at = %s,
                        failure_reason = (SELECT st.reason FROM {STAGING} st
                                          WHERE st.job_id = %s AND st.line_id = benefits_paymentline.id)
                    WHERE status = %s AND id IN (SELECT line_id FROM {STAGING} WHERE job_id = %s AND paid = %s)
                    """,
                    [
                        PaymentStatus.PAID if paid else PaymentStatus.FAILED,
                        now,
                        job_id,
                        PaymentStatus.PENDING,
                        job_id,
                        paid,
                    ],
                )
                counts[key] = cursor.rowcount
        return MergeOutcome(counts=counts)


register(PaymentResultImport())


# --- the shortage catalogue (急需紧缺技能人才目录) --------------------------------------------------

SHORTAGE_STAGING = ShortageStaging._meta.db_table


def _year(value: object) -> int:
    text = converters.Lookup.norm(value).removesuffix("年")
    if text.endswith(".0"):
        text = text[:-2]
    if not (text.isdigit() and 2000 <= int(text) <= 2100):
        raise ValidationError("年度应为四位年份，如 2026")
    return int(text)


@dataclass
class ShortageContext:
    job_id: int
    occupations: converters.Lookup
    levels: converters.Lookup
    domains: converters.Lookup


class ShortageImport(ImportKind):
    name = "shortage_occupations"
    label = "急需紧缺技能人才目录"
    order = 70
    permission = "benefits.change_benefitpolicy"
    staging_table = SHORTAGE_STAGING
    staging_columns = ("job_id", "row_no", "year", "occupation_id", "min_level_id", "domain_id")
    result_keys = ("shortage_created", "shortage_updated")
    result_labels = {"shortage_created": "新增目录条目", "shortage_updated": "更新目录条目"}
    columns = (
        Column("year", "年度", ("目录年度",), required=True, text_format=True),
        Column("occupation", "职业（工种）", ("职业", "工种", "职业代码"), required=True, width=24),
        Column("level", "最低等级", ("等级", "技能等级"), required=True),
        Column("domain", "重点领域", ("领域",)),
    )
    instructions = (
        "每行一个职业（工种）：按年度和职业识别，已有的条目按本表更新最低等级和领域。",
        "职业可填国家职业分类大典的代码或名称（小类或具体职业）；最低等级如“中级工”或“四级”。",
    )

    def start(self, *, actor, job_id: int) -> ShortageContext:
        from gongjiang.core.models import Occupation, SkillLevel
        from gongjiang.core.selectors import domain_lookup

        occupations = {}
        for code, name in Occupation.objects.filter(kind__in=("minor", "occupation")).values_list(
            "code", "name"
        ):
            occupations[code] = code
            occupations[name] = code
        levels = {}
        for code, name, grade in SkillLevel.objects.values_list("code", "name", "grade"):
            levels.update({code: code, name: code, **({grade: code} if grade else {})})
        return ShortageContext(
            job_id=job_id,
            occupations=converters.Lookup("职业（工种）", occupations),
            levels=converters.LevelLookup("最低等级", levels),
            domains=domain_lookup(),
        )

    def convert(self, ctx: ShortageContext, number: int, values: dict, errors: RowErrors) -> tuple | None:
        get = functools.partial(errors.take, values)
        year = get("year", _year)
        occupation = get("occupation", ctx.occupations)
        level = get("level", ctx.levels)
        domain = get("domain", ctx.domains)
        if occupation is None and not errors:
            errors.add("occupation", values.get("occupation"), "职业（工种）不能为空")
        if level is None and not errors:
            errors.add("level", values.get("level"), "最低等级不能为空")
        if errors:
            return None
        return (ctx.job_id, number, year, occupation, level, domain)

    def merge(self, ctx: ShortageContext, *, job_id: int) -> MergeOutcome:
        s = SHORTAGE_STAGING
        last = f"SELECT MAX(row_no) FROM {s} WHERE job_id = %s GROUP BY year, occupation_id"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE benefits_shortageoccupation SET
                    min_level_id = (SELECT st.min_level_id FROM {s} st WHERE st.job_id = %s AND st.row_no IN ({last})
                        AND st.year = benefits_shortageoccupation.year
                        AND st.occupation_id = benefits_shortageoccupation.occupation_id),
                    domain_id = (SELECT st.domain_id FROM {s} st WHERE st.job_id = %s AND st.row_no IN ({last})
                        AND st.year = benefits_shortageoccupation.year
                        AND st.occupation_id = benefits_shortageoccupation.occupation_id)
                WHERE EXISTS (SELECT 1 FROM {s} st WHERE st.job_id = %s
                    AND st.year = benefits_shortageoccupation.year
                    AND st.occupation_id = benefits_shortageoccupation.occupation_id)
                """,
                [job_id, job_id, job_id, job_id, job_id],
            )
            updated = cursor.rowcount
            cursor.execute(
                f"""
                INSERT INTO benefits_shortageoccupation (year, occupation_id, min_level_id, domain_id)
                SELECT st.year, st.occupation_id, st.min_level_id, st.domain_id FROM {s} st
                WHERE st.job_id = %s AND st.row_no IN ({last})
                  AND NOT EXISTS (SELECT 1 FROM benefits_shortageoccupation o
                      WHERE o.year = st.year AND o.occupation_id = st.occupation_id)
                """,
                [job_id, job_id],
            )
            created = cursor.rowcount
        return MergeOutcome(counts={"shortage_created": created, "shortage_updated": updated})


register(ShortageImport())
