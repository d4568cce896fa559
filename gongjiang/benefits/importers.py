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
from .models import PaymentLine, PaymentResultStaging

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
