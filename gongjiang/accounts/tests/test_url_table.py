"""Deny by default: every URL of the product is in this role × URL table of expected answers.

A new URL that is not added here fails the suite, so nobody ships a page without deciding who
may open it. Objects are the personas' own (海州) ones; scope is tested in test_scope.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "city", "haizhou", "department", "org_operator", "talent", "auditor"]
LOGIN = "login"  # redirected to the login page

# name: (method, url template, {role: expected status})
TABLE = {
    "home": ("get", "/", {"anonymous": LOGIN, "*": 302}),
    "healthz": ("get", "/healthz", {"*": 200}),
    "accounts:login": ("get", "/accounts/login/", {"anonymous": 200, "*": 302}),
    "accounts:logout": ("post", "/accounts/logout/", {"*": 302}),
    "accounts:password_change": ("get", "/accounts/password/", {"anonymous": LOGIN, "*": 200}),
    "accounts:audit_list": (
        "get",
        "/accounts/audit/",
        {"anonymous": LOGIN, "city": 200, "auditor": 200, "*": 403},
    ),
    "talents:person_list": (
        "get",
        "/talents/persons/",
        {"anonymous": LOGIN, "department": 403, "auditor": 403, "*": 200},
    ),
    "talents:person_create": (
        "get",
        "/talents/persons/new/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "talents:person_detail": (
        "get",
        "/talents/persons/{person}/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "talent": 200, "*": 404},
    ),
    "talents:person_update": (
        "get",
        "/talents/persons/{person}/edit/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "talents:person_reveal": (
        "post",
        "/talents/persons/{person}/reveal/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 404},
    ),
    "talents:certificate_add": (
        "post",
        "/talents/persons/{person}/certificates/add/",
        {"anonymous": LOGIN, "city": 422, "haizhou": 422, "*": 404},
    ),
    "talents:certificate_list": (
        "get",
        "/talents/certificates/",
        {"anonymous": LOGIN, "department": 403, "auditor": 403, "*": 200},
    ),
    "talents:certificate_revoke": (
        "post",
        "/talents/certificates/{certificate}/revoke/",
        {"anonymous": LOGIN, "city": 302, "haizhou": 302, "*": 404},
    ),
    "orgs:organisation_list": ("get", "/orgs/", {"anonymous": LOGIN, "auditor": 403, "*": 200}),
    "orgs:organisation_create": (
        "get",
        "/orgs/new/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 403},
    ),
    "orgs:organisation_detail": (
        "get",
        "/orgs/{org}/",
        {"anonymous": LOGIN, "auditor": 404, "*": 200},
    ),
    "orgs:organisation_update": (
        "get",
        "/orgs/{org}/edit/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "jobs:job_list": ("get", "/jobs/", {"anonymous": LOGIN, "talent": 403, "auditor": 403, "*": 200}),
    "jobs:import_start": (
        "get",
        "/jobs/import/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "jobs:import_template": (
        "get",
        "/jobs/import/template/roster/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "jobs:job_detail": ("get", "/jobs/{job}/", {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 404}),
    "jobs:job_progress": (
        "get",
        "/jobs/{job}/progress/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 404},
    ),
    "jobs:job_commit": (
        "post",
        "/jobs/{job}/commit/",
        {"anonymous": LOGIN, "city": 403, "haizhou": 302, "*": 404},
    ),
    "jobs:job_download": (
        "get",
        "/jobs/{job}/download/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 404},
    ),
    # The targets dashboard (stats): city, regions and departments read; the city admin changes.
    "stats:dashboard": (
        "get",
        "/stats/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "*": 403},
    ),
    "stats:report_print": (
        "get",
        "/stats/report/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "*": 403},
    ),
    "stats:report_xlsx": (
        "get",
        "/stats/report.xlsx",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "*": 403},
    ),
    "stats:refresh": ("post", "/stats/refresh/", {"anonymous": LOGIN, "city": 302, "*": 403}),
    "stats:officialtotal_list": (
        "get",
        "/stats/official-totals/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "*": 403},
    ),
}
# The admin site (reference data) is Django's; it is covered by its own test below.
SKIPPED_NAMESPACES = {"admin"}


def _names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            yield from _names(entry, prefix + (entry.namespace + ":" if entry.namespace else ""))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def _job_of(user):
    """A finished dry-run import of ``user`` with an error report to download."""
    import io

    from gongjiang.jobs import files
    from gongjiang.jobs.models import Job

    stored, _sha, _size = files.store_encrypted(io.BytesIO(b"report"), suffix=".xlsx")
    return Job.objects.create(
        job_type="import", kind="roster", user=user, status="queued", filename="r.xlsx", output_file=stored
    )


def test_every_url_is_in_the_table():
    missing = sorted(set(_names()) - set(TABLE))
    assert missing == [], f"URLs without expected answers per role: {missing}"


def _user(personas, role):
    return {
        "city": personas.city,
        "haizhou": personas.haizhou,
        "department": personas.department,
        "org_operator": personas.org_operator,
        "talent": personas.talent,
        "auditor": personas.auditor,
    }[role]


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer(client, personas, name, role):
    method, template, expected = TABLE[name]
    want = expected.get(role, expected.get("*"))
    if role != "anonymous":
        client.force_login(_user(personas, role))
    person = personas.person_haizhou
    job = _job_of(personas.haizhou) if "{job}" in template else None
    url = template.format(
        person=person.pk,
        certificate=person.certificates.first().pk,
        org=personas.org_haizhou.pk,
        job=job.pk if job else "",
    )
    data = {"reason": "核对信息"} if method == "post" else None
    response = getattr(client, method)(url, data)
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == want, f"{role} {method.upper()} {url}"


def test_reference_data_admin_is_city_admin_only(client, personas):
    client.force_login(personas.haizhou)
    assert client.get("/refdata/").status_code == 302  # sent to the admin login
    client.force_login(personas.city)
    response = client.get("/refdata/core/region/")
    assert response.status_code == 200
    assert "海州区" in response.content.decode()
