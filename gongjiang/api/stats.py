"""The policy's indicators, as ``manage.py indicators --json`` prints them, within the caller's
scope: a county's token gets its own county; a city-wide reader the city or any county."""

from __future__ import annotations

import datetime
import json

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from gongjiang.accounts.choices import Role
from gongjiang.core.models import Region
from gongjiang.stats.selectors import indicators_report

from .auth import TOKEN_AUTH
from .common import READ_ERRORS, error

router = Router(tags=["指标"], auth=TOKEN_AUTH)


class IndicatorQuery(Schema):
    region: str | None = Field(None, max_length=12, description="县区代码；不填为全市（县区令牌为本县区）")
    on: datetime.date | None = Field(None, description="统计日期，默认今天（北京时间）")


@router.get(
    "/indicators",
    response={200: dict, **READ_ERRORS},
    url_name="indicators",
    summary="全部目标指标",
    description="与 `python manage.py indicators --json` 输出的 JSON 相同（按原始数据重算），限于令牌账号的数据范围。",
)
def indicators(request, query: Query[IndicatorQuery]):
    user = request.user
    if not user.has_perm("stats.view_dashboard"):
        return Status(403, error("该账号没有查看指标的权限"))
    region = query.region
    if user.role == Role.REGION_OPERATOR:
        if region and region != user.region_id:
            return Status(404, error("未找到该县区"))
        region = user.region_id
    elif region and not Region.objects.filter(code=region).exclude(kind="city").exists():
        return Status(404, error("未找到该县区"))
    on = query.on or timezone.localdate()
    if not datetime.date(2000, 1, 1) <= on <= datetime.date(2100, 12, 31):
        return Status(
            422, error("统计日期超出范围", [{"row": None, "field": "on", "reason": "应在 2000—2100 年之间"}])
        )
    result, _indicators, _figures = indicators_report(on=on, region=region)
    # The command's JSON exactly (dates and decimals as it prints them).
    return json.loads(json.dumps(result, ensure_ascii=False, default=str))
