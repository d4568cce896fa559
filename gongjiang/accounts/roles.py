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
    "talents.change_certificate",
    "talents.revoke_certificate",
    "talents.export_certificate",
}
_ORG_READ = {"orgs.view_organisation", "core.view_region"}
_ORG_WRITE = {"orgs.add_organisation", "orgs.change_organisation", "orgs.export_organisation"}
_JOBS = {"jobs.view_job"}
# Skill evaluation: the city approves filings and reviews batches; counties read their region's;
# an institution (organisation operator) files, plans batches, reports results and appoints.
_EVALUATION_READ = {
    "evaluation.view_filing",
    "evaluation.export_filing",
    "evaluation.view_batch",
    "evaluation.export_batch",
    "evaluation.view_candidate",
    "evaluation.export_candidate",
    "evaluation.view_appointment",
    "evaluation.export_appointment",
}
_EVALUATION_CITY = _EVALUATION_READ | {
    "evaluation.add_filing",
    "evaluation.change_filing",
    "evaluation.approve_filing",
    "evaluation.review_batch",
    "evaluation.confirm_appointment",
    "evaluation.change_appointment",
}
_EVALUATION_ORG = _EVALUATION_READ | {
    "evaluation.add_filing",
    "evaluation.change_filing",
    "evaluation.add_batch",
    "evaluation.change_batch",
    "evaluation.add_appointment",
    "evaluation.change_appointment",
}

# Schools (measure 二): read and export for everyone who follows the schools; writes for those who
# keep a school's records; the demonstration schools and their milestones are decided by the city.
_SCHOOL_MODELS = ("teacher", "demonstrationschool", "milestone", "enterprisepractice", "schoolyear")
_SCHOOL_READ = {f"schools.{a}_{m}" for m in _SCHOOL_MODELS for a in ("view", "export")}
_SCHOOL_WRITE = {
    f"schools.{a}_{m}" for m in ("teacher", "enterprisepractice", "schoolyear") for a in ("add", "change")
} | {"schools.change_milestone"}
_SCHOOL_DECIDE = {
    "schools.add_demonstrationschool",
    "schools.change_demonstrationschool",
    "schools.add_milestone",
}
# Training carriers: organisations declare, counties review first, the city reviews, recognises,
# assesses, upgrades and revokes; departments read.
_CARRIER_READ = {"carriers.view_carrier", "carriers.export_carrier"}
_CARRIER_CITY = _CARRIER_READ | {
    "carriers.add_carrier",
    "carriers.change_carrier",
    "carriers.recognise_carrier",
    "carriers.assess_carrier",
    "carriers.upgrade_carrier",
    "carriers.revoke_carrier",
}
_CARRIER_REGION = _CARRIER_READ | {"carriers.review_carrier"}
_CARRIER_ORG = _CARRIER_READ | {"carriers.add_carrier", "carriers.change_carrier"}

# The targets dashboard: aggregates read through the scope rule (a region operator: its region).
_STATS_READ = {
    "stats.view_dashboard",
    "stats.view_tally",
    "stats.view_dailysnapshot",
    "stats.view_officialtotal",
    "stats.view_targetsplit",
}
_STATS_ADMIN = {"stats.change_officialtotal", "stats.change_targetsplit", "stats.refresh_tally"}

# Benefits (measure 九): everyone who follows a person reads their entitlements (scope narrows).
_BENEFITS_READ = {"benefits.view_entitlement", "benefits.view_benefitapplication"}
_BENEFITS_CITY = _BENEFITS_READ | {
    "benefits.verify_entitlement",
    "benefits.stop_entitlement",
    "benefits.pay_entitlement",
    "benefits.view_paymentbatch",
    "benefits.change_benefitpolicy",
    "benefits.approve_benefitapplication",
    "benefits.review_benefitapplication",
}
_BENEFITS_REGION = _BENEFITS_READ | {"benefits.verify_entitlement", "benefits.review_benefitapplication"}
_BENEFITS_CONFIRM = _BENEFITS_READ | {
    "benefits.confirm_entitlement",
    "benefits.add_benefitapplication",
    "benefits.change_benefitapplication",
}

# The talent's own space (portal): corrections of their record and passport share links; the county
# operator of the person's region handles corrections.
_PORTAL_TALENT = {
    "portal.view_correction",
    "portal.add_correction",
    "portal.change_correction",
    "portal.view_sharelink",
    "portal.add_sharelink",
    "portal.change_sharelink",
}
_PORTAL_REGION = {"portal.view_correction", "portal.review_correction"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(
        _PERSON_READ
        | _PERSON_WRITE
        | _ORG_READ
        | _ORG_WRITE
        | _JOBS
        | {"accounts.view_auditentry", "core.change_refdata"}
        | _EVALUATION_CITY
        | _CARRIER_CITY
        | _SCHOOL_READ
        | _SCHOOL_WRITE
        | _SCHOOL_DECIDE
        | _STATS_READ
        | _STATS_ADMIN
        | _BENEFITS_CITY
        | {"portal.view_correction"}
    ),
    Role.REGION_OPERATOR: frozenset(
        _PERSON_READ
        | _PERSON_WRITE
        | _ORG_READ
        | _ORG_WRITE
        | _JOBS
        | _EVALUATION_READ
        | _CARRIER_REGION
        | _SCHOOL_READ
        | _SCHOOL_WRITE
        | _STATS_READ
        | _BENEFITS_REGION
        | _PORTAL_REGION
    ),
    Role.DEPARTMENT: frozenset(
        _ORG_READ | _JOBS | {"orgs.export_organisation"} | _CARRIER_READ | _SCHOOL_READ | _STATS_READ
    ),
    Role.ORG_OPERATOR: frozenset(
        _PERSON_READ
        | _ORG_READ
        | _JOBS
        | {"talents.add_person", "talents.change_person", "talents.export_person", "orgs.change_organisation"}
        | _EVALUATION_ORG
        | _CARRIER_ORG
        | _SCHOOL_READ
        | _SCHOOL_WRITE
        | _BENEFITS_CONFIRM
        | {"benefits.confirm_employment_benefitapplication"}
    ),
    Role.TALENT: frozenset(_PERSON_READ | _ORG_READ | _BENEFITS_CONFIRM | _PORTAL_TALENT),
    # The audit administrator reads the audit trail and fetches its own exports of it (a large
    # export is a background job), nothing else.
    Role.AUDITOR: frozenset({"accounts.view_auditentry", "jobs.view_job"}),
    # 三员分立. The system administrator keeps the platform's configuration (reference data); the
    # security administrator manages accounts and their roles and sees no personal data (no
    # talents/benefits/audit permission at all); the audit administrator only reads the audit trail.
    Role.SYSTEM_ADMIN: frozenset({"core.change_refdata"}),
    Role.SECURITY_ADMIN: frozenset(
        {"accounts.view_user", "accounts.add_user", "accounts.change_user", "core.view_region"}
    ),
}


def role_permissions(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
