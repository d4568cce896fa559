"""The navigation a user sees: only the entries their role can use."""

from django.urls import reverse


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if user.has_perm("portal.add_correction"):
        # A talent's own space replaces the operators' menus (their records are all on it).
        view = request.resolver_match.view_name if request.resolver_match else ""
        mine = [
            ("我的技能档案", "portal:home", ("portal:home", "portal:passport", "portal:share")),
            ("人才待遇", "benefits:entitlement_list", ("benefits:",)),
            ("更正申请", "portal:correction_list", ("portal:correction",)),
            ("证书查验", "portal:verify", ("portal:verify",)),
            ("培训目录", "training:course_catalogue", ("training:",)),
        ]
        return {
            "nav_items": [
                {"label": label, "url": reverse(name), "active": view.startswith(prefixes)}
                for label, name, prefixes in mine
            ]
        }
    if user.has_perm("stats.view_dashboard"):
        items.append(("目标驾驶舱", reverse("stats:dashboard"), "stats"))
    if user.has_perm("talents.view_person"):
        items.append(("人才库", reverse("talents:person_list"), "talents"))
    if user.has_perm("orgs.view_organisation"):
        items.append(("单位", reverse("orgs:organisation_list"), "orgs"))
    if user.has_perm("orgs.view_wagereport"):
        items.append(("工资报送", reverse("orgs:wagereport_list"), "orgs-wages"))
    if user.has_perm("carriers.view_carrier"):
        items.append(("培养载体", reverse("carriers:carrier_list"), "carriers"))
    if user.has_perm("evaluation.view_batch"):
        items.append(("技能评价", reverse("evaluation:batch_list"), "evaluation"))
    if user.has_perm("competitions.view_competition"):
        items.append(("竞赛与表彰", reverse("competitions:competition_list"), "competitions honours"))
    if user.has_perm("benefits.view_entitlement"):
        items.append(("人才待遇", reverse("benefits:entitlement_list"), "benefits"))
    if user.has_perm("training.view_course"):
        items.append(("职业培训", reverse("training:course_list"), "training"))
    if user.has_perm("schools.view_teacher"):
        items.append(("职业院校", reverse("schools:school_list"), "schools"))
    if user.has_perm("plan.view_task"):
        items.append(("部门任务", reverse("plan:matrix"), "plan"))
    if user.has_perm("jobs.view_job"):
        items.append(("导入导出", reverse("jobs:job_list"), "jobs"))
    if user.has_perm("accounts.view_auditentry"):
        items.append(("审计日志", reverse("accounts:audit_list"), "accounts"))
    if user.has_perm("jobs.view_nightlyrun"):
        items.append(("系统维护", reverse("jobs:maintenance"), "jobs"))
    if user.has_perm("api.view_apitoken"):
        items.append(("接口令牌", reverse("apitokens:token_list"), "apitokens"))
    if user.has_perm("accounts.view_user"):
        items.append(("账号管理", reverse("accounts:account_list"), "accounts"))
    if user.has_perm("core.change_refdata"):
        items.append(("参考数据", reverse("admin:index"), "admin"))
    current = request.resolver_match.app_name if request.resolver_match else ""
    if current == "orgs" and request.resolver_match.url_name.startswith(("wage", "wagereport", "wagesample")):
        current = "orgs-wages"  # the wage pages are their own menu entry within the orgs app
    return {"nav_items": [{"label": a, "url": b, "active": current in c.split()} for a, b, c in items]}
