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
# Enterprises' wage reports (措施七): an enterprise files its own; counties and the city read their
# scope's, import them, follow up the short list and draw inspection samples; departments read.
_WAGES_READ = {"orgs.view_wagereport", "orgs.export_wagereport", "orgs.view_wagesample"}
_WAGES_OPERATE = _WAGES_READ | {
    "orgs.add_wagereport",
    "orgs.change_wagereport",
    "orgs.import_wagereport",
    "orgs.add_wagesample",
}
_WAGES_ORG = {"orgs.view_wagereport", "orgs.add_wagereport", "orgs.change_wagereport"}
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

# Training (measures 一、三): the catalogue is read by every signed-in role (and by the public on its
# own pages); a provider's organisation edits its entries and claims subsidies; the county reviews
# claims first, the city approves; enterprises record their training, counties and the city read.
_TRAINING_CATALOGUE = ("provider", "course", "teacher", "schedule")
_TRAINING_READ = {f"training.view_{m}" for m in _TRAINING_CATALOGUE} | {
    "training.view_subsidyrate",
    "training.view_claimcap",
}
_TRAINING_RECORDS_READ = {
    "training.view_enterprisetraining",
    "training.export_enterprisetraining",
    "training.view_chaintraining",
}
_TRAINING_RECORDS_WRITE = {
    "training.add_enterprisetraining",
    "training.change_enterprisetraining",
    "training.add_chaintraining",
    "training.change_chaintraining",
}
_TRAINING_CLAIMS_READ = {
    "training.view_subsidyclaim",
    "training.view_claimline",
    "training.view_sharingrequest",
}
_TRAINING_CITY = (
    _TRAINING_READ
    | _TRAINING_RECORDS_READ
    | _TRAINING_CLAIMS_READ
    | {f"training.{a}_{m}" for m in _TRAINING_CATALOGUE for a in ("add", "change")}
    | {"training.approve_subsidyclaim"}
)
_TRAINING_REGION = (
    _TRAINING_READ
    | _TRAINING_RECORDS_READ
    | _TRAINING_RECORDS_WRITE
    | _TRAINING_CLAIMS_READ
    | {"training.review_subsidyclaim"}
)
_TRAINING_ORG = (
    _TRAINING_READ
    | _TRAINING_RECORDS_READ
    | _TRAINING_RECORDS_WRITE
    | _TRAINING_CLAIMS_READ
    | {f"training.{a}_{m}" for m in _TRAINING_CATALOGUE for a in ("add", "change")}
    | {"training.add_subsidyclaim", "training.change_subsidyclaim"}
    | {"training.add_sharingrequest", "training.change_sharingrequest", "training.answer_sharingrequest"}
)

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

# The plan (measures × departments): the city breaks measures into tasks, reviews progress reports,
# raises and closes 督办 and keeps the funding; an owner department reports and replies; a county
# reads the tasks that name it.
_PLAN_READ = {
    "plan.view_measure",
    "plan.view_responsibility",
    "plan.view_task",
    "plan.export_task",
    "plan.view_milestone",
    "plan.view_progressreport",
}
_PLAN_FUNDING_READ = {
    "plan.view_fundingsource",
    "plan.view_budget",
    "plan.view_spending",
    "plan.export_spending",
}
_PLAN_CITY = (
    _PLAN_READ
    | _PLAN_FUNDING_READ
    | {
        "plan.add_task",
        "plan.change_task",
        "plan.change_milestone",
        "plan.review_progressreport",
        "plan.view_supervision",
        "plan.close_supervision",
        "plan.add_budget",
        "plan.add_spending",
    }
)
_PLAN_DEPARTMENT = (
    _PLAN_READ
    | _PLAN_FUNDING_READ
    | {"plan.change_task", "plan.change_progressreport", "plan.view_supervision", "plan.reply_supervision"}
)
_PLAN_REGION = _PLAN_READ

# Competitions (measure 六) and honours (measure 八): the city records and publishes results, keeps
# the award rules, runs selection rounds and decides nominations; counties and organisations
# nominate and read their people's results and honours; departments read competitions and rounds.
_COMPETITIONS_PUBLIC = {
    "competitions.view_competition",
    "competitions.view_event",
    "competitions.view_awardrule",
    "honours.view_selectionround",
    "honours.view_honourtitle",
}
_HONOURS_READ = _COMPETITIONS_PUBLIC | {
    "competitions.view_result",
    "competitions.export_result",
    "honours.view_honouraward",
    "honours.export_honouraward",
    "honours.view_nomination",
}
_HONOURS_NOMINATE = {"honours.add_nomination", "honours.change_nomination"}
_HONOURS_CITY = (
    _HONOURS_READ
    | _HONOURS_NOMINATE
    | {
        "competitions.add_competition",
        "competitions.change_competition",
        "competitions.add_event",
        "competitions.change_event",
        "competitions.publish_event",
        "competitions.withdraw_result",
        "competitions.add_awardrule",
        "competitions.change_awardrule",
        "honours.add_selectionround",
        "honours.change_selectionround",
        "honours.decide_nomination",
    }
)
_HONOURS_TALENT = {"competitions.view_result", "honours.view_honouraward"}
# Every account reads its own messages (workflow.Notification, narrowed to the recipient).
_INBOX = {"workflow.view_notification"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(
        _PERSON_READ
        | _PERSON_WRITE
        | _ORG_READ
        | _ORG_WRITE
        | _JOBS
        | {"accounts.view_auditentry", "core.change_refdata"}
        | {"jobs.view_nightlyrun", "jobs.view_nightlystep", "jobs.view_taskfailure"}  # 系统维护 page
        | _EVALUATION_CITY
        | _CARRIER_CITY
        | _SCHOOL_READ
        | _SCHOOL_WRITE
        | _SCHOOL_DECIDE
        | _STATS_READ
        | _STATS_ADMIN
        | _BENEFITS_CITY
        | _TRAINING_CITY
        | {"portal.view_correction"}
        | _PLAN_CITY
        | _INBOX
        | {"api.view_apitoken", "api.add_apitoken", "api.revoke_apitoken"}
        | _HONOURS_CITY
        | _WAGES_OPERATE
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
        | _TRAINING_REGION
        | _PORTAL_REGION
        | _PLAN_REGION
        | _HONOURS_READ
        | _HONOURS_NOMINATE
        | _INBOX
        | _WAGES_OPERATE
    ),
    Role.DEPARTMENT: frozenset(
        _ORG_READ
        | _JOBS
        | {"orgs.export_organisation"}
        | _CARRIER_READ
        | _SCHOOL_READ
        | _STATS_READ
        | _TRAINING_READ
        | {"training.view_enterprisetraining", "training.view_chaintraining"}
        | _PLAN_DEPARTMENT
        | _INBOX
        | _COMPETITIONS_PUBLIC
        | _WAGES_READ
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
        | _HONOURS_READ
        | _HONOURS_NOMINATE
        | _TRAINING_ORG
        | _INBOX
        | _WAGES_ORG
    ),
    Role.TALENT: frozenset(
        _PERSON_READ | _ORG_READ | _BENEFITS_CONFIRM | _PORTAL_TALENT | _INBOX | _HONOURS_TALENT
    ),
    # The audit administrator reads the audit trail and fetches its own exports of it (a large
    # export is a background job), nothing else.
    Role.AUDITOR: frozenset({"accounts.view_auditentry", "jobs.view_job"} | _INBOX),
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
