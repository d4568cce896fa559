"""Bearer-token authentication: a token acts as its user (the same role, permissions, scope)."""

from __future__ import annotations

from ninja.security import HttpBearer

from .services import TokenRateLimited, api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = "市级管理员签发的接口令牌：Authorization: Bearer <token>"

    def authenticate(self, request, token: str):
        try:
            api_token = api_token_authenticate(token)  # raises TokenRefused / TokenRateLimited
        except TokenRateLimited as exc:
            request.api_token = exc.token  # a refused call of a known token is audited too
            raise
        request.user = api_token.user
        request.api_token = api_token
        return api_token


TOKEN_AUTH = TokenAuth()
