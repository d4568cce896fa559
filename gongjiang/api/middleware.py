"""Around every call of the API: the request size limit before anything is read, and after the
answer one audit row naming the token and the call (the request id comes with the row)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse

from .services import api_call_record

API_PREFIX = "/api/v1/"


class ApiCallMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        limit = settings.GONGJIANG_API_MAX_BODY_KB * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            body = {
                "detail": "请求内容过大（上限 %d KB），请分批提交" % settings.GONGJIANG_API_MAX_BODY_KB,
                "errors": [],
            }
            return HttpResponse(
                json.dumps(body, ensure_ascii=False), status=413, content_type="application/json"
            )
        response = self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is not None:
            api_call_record(
                token=token, method=request.method, path=request.path, status=response.status_code
            )
        return response
