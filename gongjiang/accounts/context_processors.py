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
    if user.has_perm("carriers.view_carrier"):
        items.append(("培养载体", reverse("carriers:carrier_list"), "carriers"))
    if user.has_perm("evaluation.view_batch"):
        items.append(("技能评价", reverse("evaluation:batch_list"), "evaluation"))
    if user.has_perm("benefits.view_entitlement"):
        items.append(("人才待遇", reverse("benefits:entitlement_list"), "benefits"))
    if user.has_perm("schools.view_teacher"):
        items.append(("职业院校", reverse("schools:school_list"), "schools"))
    if user.has_perm("jobs.view_job"):
        items.append(("导入导出", reverse("jobs:job_list"), "jobs"))
    if user.has_perm("accounts.view_auditentry"):
        items.append(("审计日志", reverse("accounts:audit_list"), "accounts"))
    if user.has_perm("accounts.view_user"):
        items.append(("账号管理", reverse("accounts:account_list"), "accounts"))
    if user.has_perm("core.change_refdata"):
        items.append(("参考数据", reverse("admin:index"), "admin"))
    current = request.resolver_match.app_name if request.resolver_match else ""
    return {"nav_items": [{"label": a, "url": b, "active": c == current} for a, b, c in items]}
