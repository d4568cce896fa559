"""The REST API (``/api/v1/``, OpenAPI at ``/api/v1/openapi.json``, interactive docs at
``/api/v1/docs`` for signed-in users, served from the platform's own static files): routers by
domain, bearer tokens (``auth.py``), and one shape of error in Chinese for every failure:
``{"detail": …, "errors": [{"row": …, "field": …, "reason": …}]}``."""

from __future__ import annotations

import logging
import math

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.views import openapi_json

from gongjiang.portal.api import router as portal_router

from .common import InvalidQuery, error
from .imports import router as imports_router
from .registry import router as registry_router
from .services import TokenRateLimited, TokenRefused
from .stats import router as stats_router
from .talents import router as talents_router

log = logging.getLogger(__name__)


def _docs_for_signed_in_users(view):
    """ninja applies one decorator to the schema and the docs page: the schema stays public (a
    partner needs only it and a token), the interactive page asks for a sign-in."""
    if getattr(view, "func", None) is openapi_json:
        return view
    return login_required(view)


api = NinjaAPI(
    title="工匠 · 连云港市高技能人才工作平台 API",
    version="1",
    description="省级评价和证书系统、人才一站式服务、银行和企业人事系统与平台交换数据的接口。"
    "除证书查验外，每次调用都须带市级管理员签发的令牌：`Authorization: Bearer <token>`；"
    "令牌代表其账号，数据范围和权限与该账号在页面上相同。列表按 `cursor` 翻页；"
    '写入接口支持 `Idempotency-Key`。错误一律为 `{"detail": …, "errors": [{"row", "field", "reason"}]}`。',
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=_docs_for_signed_in_users,
)
api.add_router("/", portal_router)
api.add_router("/", talents_router)
api.add_router("/", registry_router)
api.add_router("/", stats_router)
api.add_router("/", imports_router)


def _json(request, status: int, body: dict, **headers):
    response = api.create_response(request, body, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


# Pydantic's reasons, in Chinese (by error type); anything else is "取值无效".
_REASONS = {
    "missing": "必填",
    "string_too_long": "过长",
    "string_too_short": "过短",
    "string_pattern_mismatch": "格式不正确",
    "too_long": "条数过多",
    "too_short": "不能为空",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_type": "应为日期 YYYY-MM-DD",
    "greater_than_equal": "过小",
    "less_than_equal": "过大",
    "literal_error": "不是允许的取值",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
}


@api.exception_handler(ValidationError)
def _validation(request, exc: ValidationError):
    errors = []
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path", "header", "payload")]
        row = None
        if len(loc) >= 2 and loc[0] == "rows" and loc[1].isdigit():
            row, loc = int(loc[1]) + 1, loc[2:]
        errors.append(
            {
                "row": row,
                "field": ".".join(loc) or None,
                "reason": _REASONS.get(item.get("type", ""), "取值无效"),
            }
        )
    return _json(request, 422, error("请求内容有误", errors))


@api.exception_handler(InvalidQuery)
def _invalid_query(request, exc: InvalidQuery):
    return _json(request, 422, error("查询条件有误", exc.errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _json(
        request,
        401,
        error("缺少接口令牌：请在请求头中带上 Authorization: Bearer <token>"),
        WWW_Authenticate="Bearer",
    )


@api.exception_handler(TokenRefused)
def _refused(request, exc: TokenRefused):
    return _json(
        request, 401, error("接口令牌无效、已过期或已撤销，或其账号已停用"), WWW_Authenticate="Bearer"
    )


@api.exception_handler(TokenRateLimited)
def _limited(request, exc: TokenRateLimited):
    seconds = max(1, math.ceil((exc.retry_at - timezone.now()).total_seconds()))
    return _json(request, 429, error("调用过于频繁，请 %d 秒后再试" % seconds), Retry_After=str(seconds))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _json(request, 404, error("未找到该记录"))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _json(request, 403, error("该账号没有这项权限"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400:  # the body could not be parsed
        return _json(request, 400, error("请求体不是有效的 JSON"))
    return _json(request, exc.status_code, error(str(exc.message)))


@api.exception_handler(Exception)
def _server_error(request, exc):
    log.error("API error: %s", request.path, exc_info=exc)
    return _json(request, 500, error("系统错误，请稍后重试；如持续出现请联系管理员并提供请求号"))
