from django.contrib import admin
from django.urls import include, path

from gongjiang.api.api import api
from gongjiang.common import views as common_views

admin.site.site_header = "工匠 · 参考数据管理"
admin.site.site_title = "工匠"
admin.site.index_title = "参考数据"
# The admin site serves reference data only, to whoever the role table lets edit it (no is_staff).
admin.site.has_permission = lambda request: (
    request.user.is_active and request.user.has_perm("core.change_refdata")
)

urlpatterns = [
    path("", common_views.home, name="home"),
    path("healthz", common_views.healthz, name="healthz"),
    path("accounts/", include("gongjiang.accounts.urls")),
    path("orgs/", include("gongjiang.orgs.urls")),
    path("talents/", include("gongjiang.talents.urls")),
    path("jobs/", include("gongjiang.jobs.urls")),
    path("evaluation/", include("gongjiang.evaluation.urls")),
    path("carriers/", include("gongjiang.carriers.urls")),
    path("schools/", include("gongjiang.schools.urls")),
    path("competitions/", include("gongjiang.competitions.urls")),
    path("honours/", include("gongjiang.honours.urls")),
    path("stats/", include("gongjiang.stats.urls")),
    path("benefits/", include("gongjiang.benefits.urls")),
    path("training/", include("gongjiang.training.urls")),
    path("plan/", include("gongjiang.plan.urls")),
    path("todo/", include("gongjiang.workflow.urls")),
    path("refdata/", admin.site.urls),
    path("", include("gongjiang.portal.urls")),
    path("api/v1/", api.urls),
    path("api-tokens/", include("gongjiang.api.urls")),
]

handler403 = "gongjiang.common.views.permission_denied"
handler404 = "gongjiang.common.views.not_found"
handler500 = "gongjiang.common.views.server_error"
