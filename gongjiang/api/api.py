"""The REST API (``/api/v1/``, OpenAPI at ``/api/v1/openapi.json``): each app contributes a router
from its ``api.py``; this module only assembles them. No interactive docs page: it would load its
scripts from a third-party host."""

from ninja import NinjaAPI

from gongjiang.portal.api import router as portal_router

api = NinjaAPI(
    title="工匠 · 连云港市高技能人才工作平台 API",
    version="1",
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/", portal_router)
