"""The portal's API: public certificate verification for machines (same answers, same limit)."""

from __future__ import annotations

import datetime
import math

from django.http import HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from .services import RateLimited, verification_lookup

router = Router(tags=["证书查验"])


class VerifyIn(Schema):
    number: str
    name: str


class VerifyOut(Schema):
    status: str
    level: str
    occupation: str
    issuer: str
    issued_on: datetime.date


class Message(Schema):
    detail: str


@router.post(
    "/certificates/verify",
    response={200: VerifyOut, 404: Message, 429: Message},
    url_name="certificate_verify",
    summary="查验技能证书",
    description="证书编号和持证人姓名都正确时返回证书状态（valid 有效、revoked 已撤销、expired 已过期）；"
    "否则 404“未查到”（不区分哪一项错误）。每个网络地址每小时限查若干次，超过返回 429。",
)
def certificate_verify(request, payload: VerifyIn, response: HttpResponse):
    try:
        result = verification_lookup(via="api", number=payload.number[:40], name=payload.name[:40])
    except RateLimited as exc:
        seconds = max(1, math.ceil((exc.retry_at - timezone.now()).total_seconds()))
        retry = timezone.localtime(exc.retry_at).strftime("%Y-%m-%d %H:%M")
        response["Retry-After"] = str(seconds)
        return Status(429, {"detail": "查询过于频繁，请于北京时间 %s 以后再试" % retry})
    if result is None:
        return Status(404, {"detail": "未查到"})
    return Status(
        200,
        {
            "status": result.status,
            "level": result.level,
            "occupation": result.occupation,
            "issuer": result.issuer,
            "issued_on": result.issued_on,
        },
    )
