"""Writes from partner systems: evaluation institutions report a batch's results, organisations
send roster rows. Both go through the one import pipeline (the same checks, reasons, job record
and audit as a file import), all or nothing unless ``valid_only``, and honour ``Idempotency-Key``."""

from __future__ import annotations

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Header, Router, Schema, Status

from gongjiang.accounts.shortcuts import get_scoped_or_404
from gongjiang.evaluation.models import Batch

from .auth import TOKEN_AUTH
from .common import AUTH_ERRORS, ErrorOut, PathId, error
from .services import IdempotencyConflict, idempotent, rows_import

router = Router(tags=["数据报送"], auth=TOKEN_AUTH)

WRITE_ERRORS = {**AUTH_ERRORS, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class RosterRowIn(Schema):
    """One row of the roster (花名册): a person and, optionally, one certificate."""

    name: str = Field(..., max_length=40, description="姓名")
    id_number: str = Field(..., max_length=30, description="18 位居民身份证号")
    region: str = Field(..., max_length=20, description="所属县区（名称或代码，如 海州区 或 320706）")
    phone: str | None = Field(None, max_length=20)
    employer_name: str | None = Field(None, max_length=120, description="工作单位")
    employer_uscc: str | None = Field(None, max_length=30, description="工作单位的统一社会信用代码")
    occupation_name: str | None = Field(None, max_length=80, description="职业（工种）")
    occupation_code: str | None = Field(None, max_length=20)
    domain: str | None = Field(None, max_length=40, description="重点领域")
    cert_type: str | None = Field(None, max_length=40, description="证书类型")
    level: str | None = Field(None, max_length=20, description="技能等级（如 高级工、技师）")
    cert_number: str | None = Field(None, max_length=40, description="证书编号")
    issue_date: datetime.date | None = Field(None, description="发证日期")
    issuer: str | None = Field(None, max_length=120, description="发证机构")
    introduced_on: datetime.date | None = Field(None, description="引进日期（从市外引进的人才）")


class RosterIn(Schema):
    rows: list[RosterRowIn] = Field(..., min_length=1, max_length=2000)
    valid_only: bool = Field(False, description="有错误行时仍写入正确的行（默认：全部正确才写入）")
    dry_run: bool = Field(False, description="只校验，不写入")


class ResultRowIn(Schema):
    """One candidate of the batch and, after the exam, their result."""

    id_number: str = Field(..., max_length=30, description="考生身份证号（须已在人才库登记）")
    name: str | None = Field(None, max_length=40, description="姓名（填写时须与人才库一致）")
    result: Literal["pass", "fail", "合格", "不合格"] | None = Field(None, description="考核结果")
    score: float | None = Field(None, ge=0, le=100, description="成绩（0—100）")


class ResultsIn(Schema):
    rows: list[ResultRowIn] = Field(..., min_length=1, max_length=2000)
    valid_only: bool = False
    dry_run: bool = False


class ImportOut(Schema):
    status: Literal["succeeded", "dry_run"] = Field(
        ..., description="succeeded 已写入；dry_run 试导入（未写入）"
    )
    job_id: int = Field(..., description="导入任务编号（页面“导入导出”中可见）")
    counts: dict[str, int]
    errors: list[dict] = Field(default_factory=list, description="只导入正确的行时，被拒绝的行")
    message: str


IDEMPOTENCY = Header(
    None,
    alias="Idempotency-Key",
    max_length=100,
    description="幂等键：同一键与同一请求体重复提交返回同一结果且只写入一次；同一键配不同请求体返回 409",
)


def _answer(outcome) -> tuple[int, dict]:
    body = {
        "status": outcome.status,
        "job_id": outcome.job_id,
        "counts": outcome.counts,
        "errors": outcome.errors,
        "message": outcome.message,
    }
    if outcome.status == "rejected":
        return 422, {
            "detail": "有 %d 行未通过校验，全部未写入" % outcome.counts.get("rejected", 0),
            "errors": outcome.errors,
        }
    if outcome.status == "failed":
        return 422, {"detail": outcome.message or "数据无法导入", "errors": outcome.errors}
    return 200, body


def _run(request, *, operation: str, payload, key: str | None, write) -> tuple[int, dict]:
    def guarded() -> tuple[int, dict]:
        try:
            return _answer(write())
        except PermissionDenied:
            return 403, error("该账号没有报送这类数据的权限")
        except DjangoValidationError as exc:
            return 422, error("；".join(exc.messages))

    if not key:
        return guarded()
    try:
        return idempotent(
            token=request.api_token,
            key=key,
            operation=operation,
            payload=payload.dict(),
            write=guarded,
        )
    except IdempotencyConflict:
        return 409, error("该幂等键已用于另一内容的请求；请换一个 Idempotency-Key")


@router.post(
    "/roster",
    response={200: ImportOut, **WRITE_ERRORS},
    url_name="roster_submit",
    summary="报送花名册（人员与证书）",
    description="与导入 KIND `roster` 为同一流程：同样的校验和错误原因；默认全部正确才写入。"
    "单位用户只能报送本单位的职工，县区只能报送本县区的人员。",
)
def roster_submit(request, payload: RosterIn, idempotency_key: str | None = IDEMPOTENCY):
    rows = [row.dict() for row in payload.rows]
    return Status(
        *_run(
            request,
            operation="roster",
            payload=payload,
            key=idempotency_key,
            write=lambda: rows_import(
                actor=request.user,
                kind="roster",
                rows=rows,
                dry_run=payload.dry_run,
                valid_only=payload.valid_only,
            ),
        )
    )


@router.post(
    "/evaluation/batches/{batch_id}/results",
    response={200: ImportOut, **WRITE_ERRORS},
    url_name="batch_results_submit",
    summary="评价机构报送认定批次的考生与结果",
    description="与导入 KIND `evaluation_results` 为同一流程；批次须属于令牌账号的机构。",
)
def batch_results_submit(
    request, batch_id: PathId, payload: ResultsIn, idempotency_key: str | None = IDEMPOTENCY
):
    batch = get_scoped_or_404(Batch.objects.all(), request.user, "view", pk=batch_id)
    rows = [row.dict() for row in payload.rows]
    return Status(
        *_run(
            request,
            operation="evaluation_results:%d" % batch.pk,
            payload=payload,
            key=idempotency_key,
            write=lambda: rows_import(
                actor=request.user,
                kind="evaluation_results",
                rows=rows,
                fixed={"batch": batch.code},
                dry_run=payload.dry_run,
                valid_only=payload.valid_only,
            ),
        )
    )
