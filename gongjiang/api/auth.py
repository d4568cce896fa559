"""Bearer-token authentication: a token acts as its user (the same role, permissions, scope)."""

from __future__ import annotations

from ninja.security import HttpBearer

from .services import api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = "市级管理员签发的接口令牌：Authorization: Bearer <token>"

    def authenticate(self, request, token: str):
        api_token = api_token_authenticate(token)  # raises TokenRefused / TokenRateLimited
        request.user = api_token.user
        request.api_token = api_token
        return api_token


TOKEN_AUTH = TokenAuth()
