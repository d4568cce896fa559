"""What each role may do, as permission names ``<app>.<action>_<model>``.

This is the whole permission table: deny by default, nothing granted through groups or flags.
Which rows an allowed action reaches is decided by ``scope.py``.
"""

from .choices import Role

_PERSON_READ = {"talents.view_person", "talents.view_certificate"}
_PERSON_WRITE = {
    "talents.add_person",
    "talents.change_person",
    "talents.export_person",
    "talents.reveal_person",
    "talents.add_certificate",
    "talents.revoke_certificate",
    "talents.export_certificate",
}
_ORG_READ = {"orgs.view_organisation", "core.view_region"}
_ORG_WRITE = {"orgs.add_organisation", "orgs.change_organisation", "orgs.export_organisation"}
_JOBS = {"jobs.view_job"}
# The targets dashboard: aggregates read through the scope rule (a region operator: its region).
_STATS_READ = {
    "stats.view_dashboard",
    "stats.view_tally",
    "stats.view_dailysnapshot",
    "stats.view_officialtotal",
}
_STATS_ADMIN = {"stats.change_officialtotal", "stats.refresh_tally"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(
        _PERSON_READ
        | _PERSON_WRITE
        | _ORG_READ
        | _ORG_WRITE
        | _JOBS
        | _STATS_READ
        | _STATS_ADMIN
        | {"accounts.view_auditentry", "core.change_refdata"}
    ),
    Role.REGION_OPERATOR: frozenset(
        _PERSON_READ | _PERSON_WRITE | _ORG_READ | _ORG_WRITE | _JOBS | _STATS_READ
    ),
    Role.DEPARTMENT: frozenset(_ORG_READ | _JOBS | _STATS_READ | {"orgs.export_organisation"}),
    Role.ORG_OPERATOR: frozenset(
        _PERSON_READ
        | _ORG_READ
        | _JOBS
        | {"talents.add_person", "talents.change_person", "talents.export_person", "orgs.change_organisation"}
    ),
    Role.TALENT: frozenset(_PERSON_READ | _ORG_READ),
    Role.AUDITOR: frozenset({"accounts.view_auditentry"}),
}


def role_permissions(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
