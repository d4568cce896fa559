"""Deny by default: every URL of the product is in this role × URL table of expected answers.

A new URL that is not added here fails the suite, so nobody ships a page without deciding who
may open it. Objects are the personas' own (海州) ones; scope is tested in test_scope.py.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from gongjiang.evaluation.tests.factories import url_table_objects

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "city", "haizhou", "department", "org_operator", "talent", "auditor"]
LOGIN = "login"  # redirected to the login page


def _entitlement_url(suffix: str):
    """An offer to the 海州 persona (whose account is the talent's) under a 海州 policy."""

    def url(personas) -> str:
        import datetime

        from gongjiang.benefits.models import BenefitPolicy, Entitlement, PolicyVersion

        policy = BenefitPolicy.objects.create(code="URL-TABLE", name="测试待遇", mode="automatic")
        version = PolicyVersion.objects.create(
            policy=policy, number=1, rules={}, effective_from=datetime.date(2026, 1, 1)
        )
        offer = Entitlement.objects.create(
            policy=policy,
            version=version,
            person=personas.person_haizhou,
            level_id="GRADE3",
            amount=1000,
            instalments=1,
            granted_on=datetime.date(2026, 6, 1),
        )
        return "/benefits/entitlements/%d/%s" % (offer.pk, suffix)

    return url


def _application_policy() -> str:
    """A 依申请 policy in force, with one version."""
    import datetime

    from gongjiang.benefits.models import BenefitPolicy, PolicyVersion

    policy = BenefitPolicy.objects.create(code="URL-APPLY", name="申请测试", mode="application")
    PolicyVersion.objects.create(
        policy=policy,
        number=1,
        rules={
            "code": "URL-APPLY",
            "name": "申请测试",
            "mode": "application",
            "effective": ["2020-01-01", None],
            "levels": {"GRADE3": 1000},
            "certificate_types": ["skill_level"],
        },
        effective_from=datetime.date(2020, 1, 1),
    )
    return policy.code


def _application_url(suffix: str):
    """An application of the 海州 persona at the county's review."""

    def url(personas) -> str:
        from django.utils import timezone

        from gongjiang.benefits.models import BenefitApplication, BenefitPolicy, PolicyVersion

        _application_policy()
        policy = BenefitPolicy.objects.get(code="URL-APPLY")
        application = BenefitApplication.objects.create(
            policy=policy,
            version=PolicyVersion.objects.get(policy=policy),
            person=personas.person_haizhou,
            level_id="GRADE3",
            amount=1000,
            status="county_review",
            bank_name="中国银行",
            account_cipher="",
            account_digest="",
            submitted_by=personas.talent,
            submitted_at=timezone.now(),
        )
        return "/benefits/applications/%d/%s" % (application.pk, suffix)

    return url


def _policy_pk() -> int:
    from gongjiang.benefits.models import BenefitPolicy

    return BenefitPolicy.objects.create(code="URL-BUDGET", name="预算测试", mode="automatic").pk


def _batch_url(personas) -> str:
    import datetime

    from gongjiang.benefits.models import PaymentBatch

    return "/benefits/payments/%d/" % PaymentBatch.objects.create(month=datetime.date(2026, 6, 1)).pk


def _wage_report(personas):
    """A wage report of the 海州 persona's enterprise."""
    from gongjiang.orgs.models import WageReport

    return WageReport.objects.create(
        organisation=personas.org_haizhou,
        year=2025,
        staff_count=100,
        staff_avg_wage=80000,
        skilled_count=60,
        skilled_avg_wage=82000,
        high_skilled_count=20,
        high_skilled_avg_wage=95000,
    )


def _wage_report_url(suffix: str):
    def url(personas) -> str:
        return "/orgs/wages/%d/%s" % (_wage_report(personas).pk, suffix)

    return url


def _wage_sample_url(personas) -> str:
    """An inspection sample of 海州's enterprises drawn by the city."""
    from gongjiang.orgs.models import WageSample

    sample = WageSample.objects.create(
        year=2025, region_id="320706", population=1, size=1, seed=7, drawn_by=personas.city
    )
    sample.reports.set([_wage_report(personas)])
    return "/orgs/wages/samples/%d/" % sample.pk


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
    # The second factor (test_second_factor.py): enrolment offered to every account; verifying
    # without an enrolled authenticator sends to enrolment.
    "accounts:otp_setup": ("get", "/accounts/otp/setup/", {"anonymous": LOGIN, "*": 200}),
    "accounts:otp_verify": ("get", "/accounts/otp/", {"anonymous": LOGIN, "*": 302}),
    # Accounts and roles: the security administrator's (test_separation.py); nobody else's.
    "accounts:account_list": ("get", "/accounts/users/", {"anonymous": LOGIN, "*": 403}),
    "accounts:account_create": ("get", "/accounts/users/new/", {"anonymous": LOGIN, "*": 403}),
    "accounts:account_update": (
        "get",
        lambda personas: "/accounts/users/%d/edit/" % personas.haizhou.pk,
        {"anonymous": LOGIN, "*": 404},
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
    "orgs:wagereport_list": (
        "get",
        "/orgs/wages/",
        {"anonymous": LOGIN, "talent": 403, "auditor": 403, "*": 200},
    ),
    "orgs:wagereport_create": (
        "get",
        "/orgs/wages/new/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "orgs:wagereport_detail": (
        "get",
        _wage_report_url(""),
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "org_operator": 200, "*": 404},
    ),
    "orgs:wagereport_update": (
        "get",
        _wage_report_url("edit/"),
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "orgs:wage_compliance": (
        "get",
        "/orgs/wages/compliance/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "*": 403},
    ),
    "orgs:wage_sample_draw": (
        "post",
        "/orgs/wages/samples/draw/",
        {"anonymous": LOGIN, "city": 302, "haizhou": 302, "*": 403},
    ),
    "orgs:wagesample_detail": (
        "get",
        _wage_sample_url,
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "*": 404},
    ),
    "benefits:entitlement_list": (
        "get",
        "/benefits/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "talent": 200, "*": 403},
    ),
    "benefits:entitlement_detail": (
        "get",
        _entitlement_url(""),
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "talent": 200, "*": 404},
    ),
    "benefits:entitlement_confirm": (
        "post",
        _entitlement_url("confirm/"),
        {"anonymous": LOGIN, "city": 422, "haizhou": 422, "org_operator": 422, "talent": 422, "*": 404},
    ),
    "benefits:entitlement_step": (
        "post",
        _entitlement_url("stop/"),
        {"anonymous": LOGIN, "city": 302, "haizhou": 302, "org_operator": 302, "talent": 302, "*": 404},
    ),
    "benefits:payment_batch_list": (
        "get",
        "/benefits/payments/",
        {"anonymous": LOGIN, "city": 200, "*": 403},
    ),
    "benefits:payment_batch_detail": (
        "get",
        _batch_url,
        {"anonymous": LOGIN, "city": 200, "*": 403},
    ),
    "benefits:policy_list": ("get", "/benefits/policies/", {"anonymous": LOGIN, "*": 200}),
    "benefits:shortage_catalogue": ("get", "/benefits/shortage/", {"*": 200}),
    "portal:talent_accounts": (
        "get",
        "/talent-accounts/?region=320706",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "benefits:policy_what_if": (
        "post",
        "/benefits/policies/what-if/",
        {"anonymous": LOGIN, "city": 302, "*": 403},
    ),
    "benefits:application_create": (
        "get",
        lambda personas: "/benefits/apply/%s/%d/" % (_application_policy(), personas.person_haizhou.pk),
        {"anonymous": LOGIN, "org_operator": 200, "talent": 200, "*": 403},
    ),
    "benefits:application_staff": (
        "get",
        lambda personas: "/benefits/apply/%s/staff/" % _application_policy(),
        {"anonymous": LOGIN, "org_operator": 200, "*": 403},
    ),
    "benefits:application_detail": (
        "get",
        _application_url(""),
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "talent": 200, "*": 404},
    ),
    "benefits:application_step": (
        "post",
        _application_url("reject/"),
        {"anonymous": LOGIN, "city": 302, "haizhou": 302, "org_operator": 302, "talent": 302, "*": 404},
    ),
    "benefits:integrity": ("get", "/benefits/checks/", {"anonymous": LOGIN, "city": 200, "*": 403}),
    "benefits:policy_budget": (
        "post",
        lambda personas: "/benefits/policies/%d/budget/" % _policy_pk(),
        {"anonymous": LOGIN, "city": 302, "*": 403},
    ),
    "benefits:payment_bank_file": (
        "get",
        lambda personas: _batch_url(personas) + "bank-file/",
        {"anonymous": LOGIN, "city": 200, "*": 403},
    ),
    "benefits:person_eligibility": (
        "get",
        "/benefits/persons/{person}/eligibility/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "talent": 200, "*": 404},
    ),
    "talents:organisation_staff": (
        "get",
        "/talents/staff/{org}/",
        {"anonymous": LOGIN, "auditor": 404, "*": 200},
    ),
    "orgs:organisation_update": (
        "get",
        "/orgs/{org}/edit/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "jobs:job_list": ("get", "/jobs/", {"anonymous": LOGIN, "talent": 403, "*": 200}),
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
    "jobs:maintenance": ("get", "/jobs/maintenance/", {"anonymous": LOGIN, "city": 200, "*": 403}),
    "jobs:job_detail": ("get", "/jobs/{job}/", {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 404}),
    "jobs:job_progress": (
        "get",
        "/jobs/{job}/progress/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 404},
    ),
    "jobs:job_commit": (
        "post",
        "/jobs/{job}/commit/",
        {"anonymous": LOGIN, "haizhou": 302, "*": 404},
    ),
    "jobs:job_download": (
        "get",
        "/jobs/{job}/download/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 404},
    ),
    # Skill evaluation: objects from gongjiang.evaluation.tests.factories.url_table_objects.
    "evaluation:filing_list": (
        "get",
        "/evaluation/filings/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "evaluation:filing_create": (
        "get",
        "/evaluation/filings/new/",
        {"anonymous": LOGIN, "city": 200, "org_operator": 200, "*": 403},
    ),
    "evaluation:filing_detail": (
        "get",
        "/evaluation/filings/{filing}/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "evaluation:filing_update": (
        "get",
        "/evaluation/filings/{filing}/edit/",
        {"anonymous": LOGIN, "city": 200, "org_operator": 200, "*": 404},
    ),
    "evaluation:filing_transition": (
        "post",
        "/evaluation/filings/{filing}/approve/",
        {"anonymous": LOGIN, "city": 302, "*": 404},
    ),
    "evaluation:batch_list": (
        "get",
        "/evaluation/batches/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "evaluation:batch_create": (
        "get",
        "/evaluation/batches/new/",
        {"anonymous": LOGIN, "org_operator": 200, "*": 403},
    ),
    "evaluation:batch_detail": (
        "get",
        "/evaluation/batches/{batch}/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "evaluation:batch_update": (
        "get",
        "/evaluation/batches/{batch}/edit/",
        {"anonymous": LOGIN, "org_operator": 200, "*": 404},
    ),
    "evaluation:batch_results": (
        "get",
        "/evaluation/batches/{batch}/results/",
        {"anonymous": LOGIN, "org_operator": 200, "*": 404},
    ),
    "evaluation:candidate_add": (
        "post",
        "/evaluation/batches/{batch}/candidates/add/",
        {"anonymous": LOGIN, "org_operator": 422, "*": 404},
    ),
    "evaluation:batch_transition": (
        "post",
        "/evaluation/batches/{batch}/report/",
        {"anonymous": LOGIN, "org_operator": 302, "*": 404},
    ),
    "evaluation:candidate_list": (
        "get",
        "/evaluation/candidates/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "evaluation:candidate_remove": (
        "post",
        "/evaluation/candidates/{candidate}/remove/",
        {"anonymous": LOGIN, "org_operator": 302, "*": 404},
    ),
    "evaluation:appointment_list": (
        "get",
        "/evaluation/appointments/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "evaluation:appointment_create": (
        "get",
        "/evaluation/appointments/new/",
        {"anonymous": LOGIN, "org_operator": 200, "*": 403},
    ),
    "evaluation:appointment_detail": (
        "get",
        "/evaluation/appointments/{appointment}/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "evaluation:appointment_transition": (
        "post",
        "/evaluation/appointments/{appointment}/return/",
        {"anonymous": LOGIN, "city": 302, "*": 404},
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
    "stats:targetsplit_list": (
        "get",
        "/stats/target-splits/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "*": 403},
    ),
}


# Schools: objects of a school in 海州 (the haizhou operator's region; not the org operator's unit).
def _school_url(path: str):
    def build(personas) -> str:
        from gongjiang.schools.tests.factories import MilestoneFactory, PracticeFactory, SchoolYearFactory

        practice = PracticeFactory(teacher__school__region_id="320706")
        teacher, school = practice.teacher, practice.teacher.school
        milestone = MilestoneFactory(demonstration__school=school)
        ids = {
            "school": school.pk,
            "teacher": teacher.pk,
            "practice": practice.pk,
            "demonstration": milestone.demonstration_id,
            "milestone": milestone.pk,
            "year": SchoolYearFactory(school=school).pk,
        }
        return path.format(**ids)

    return build


_SCHOOL_LIST = {"anonymous": LOGIN, "talent": 403, "auditor": 403, "*": 200}
_SCHOOL_OBJECT = {"anonymous": LOGIN, "city": 200, "haizhou": 200, "department": 200, "*": 404}
_SCHOOL_EDIT = {"anonymous": LOGIN, "city": 200, "haizhou": 200, "*": 404}
_SCHOOL_ADD = {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403}
TABLE.update(
    {
        "schools:school_list": ("get", "/schools/", _SCHOOL_LIST),
        "schools:school_detail": (
            "get",
            _school_url("/schools/{school}/"),
            {**_SCHOOL_OBJECT, "talent": 403, "auditor": 403},
        ),
        "schools:teacher_list": ("get", "/schools/teachers/", _SCHOOL_LIST),
        "schools:teacher_create": ("get", "/schools/teachers/new/", _SCHOOL_ADD),
        "schools:teacher_detail": ("get", _school_url("/schools/teachers/{teacher}/"), _SCHOOL_OBJECT),
        "schools:teacher_update": ("get", _school_url("/schools/teachers/{teacher}/edit/"), _SCHOOL_EDIT),
        "schools:practice_create": (
            "get",
            _school_url("/schools/teachers/{teacher}/practices/new/"),
            {**_SCHOOL_EDIT, "department": 403, "talent": 403, "auditor": 403},
        ),
        "schools:demonstration_list": ("get", "/schools/demonstrations/", _SCHOOL_LIST),
        "schools:demonstration_create": (
            "get",
            "/schools/demonstrations/new/",
            {"anonymous": LOGIN, "city": 200, "*": 403},
        ),
        "schools:demonstration_detail": (
            "get",
            _school_url("/schools/demonstrations/{demonstration}/"),
            _SCHOOL_OBJECT,
        ),
        "schools:demonstration_update": (
            "get",
            _school_url("/schools/demonstrations/{demonstration}/edit/"),
            {"anonymous": LOGIN, "city": 200, "*": 404},
        ),
        "schools:milestone_create": (
            "get",
            _school_url("/schools/demonstrations/{demonstration}/milestones/new/"),
            {"anonymous": LOGIN, "city": 200, "*": 403},
        ),
        "schools:milestone_list": ("get", "/schools/milestones/", _SCHOOL_LIST),
        "schools:milestone_detail": ("get", _school_url("/schools/milestones/{milestone}/"), _SCHOOL_OBJECT),
        "schools:milestone_update": (
            "get",
            _school_url("/schools/milestones/{milestone}/edit/"),
            _SCHOOL_EDIT,
        ),
        "schools:practice_list": ("get", "/schools/practices/", _SCHOOL_LIST),
        "schools:practice_detail": ("get", _school_url("/schools/practices/{practice}/"), _SCHOOL_OBJECT),
        "schools:practice_update": ("get", _school_url("/schools/practices/{practice}/edit/"), _SCHOOL_EDIT),
        "schools:schoolyear_list": ("get", "/schools/years/", _SCHOOL_LIST),
        "schools:schoolyear_create": ("get", "/schools/years/new/", _SCHOOL_ADD),
        "schools:schoolyear_detail": ("get", _school_url("/schools/years/{year}/"), _SCHOOL_OBJECT),
        "schools:schoolyear_update": ("get", _school_url("/schools/years/{year}/edit/"), _SCHOOL_EDIT),
    }
)


# Training carriers. {carrier} is a 海州 carrier in the status each step starts from (_carrier_for).
_VIEWERS = {"city": 200, "haizhou": 200, "department": 200, "org_operator": 200}
TABLE |= {
    "carriers:carrier_list": ("get", "/carriers/", {"anonymous": LOGIN, **_VIEWERS, "*": 403}),
    "carriers:carrier_create": (
        "get",
        "/carriers/new/",
        {"anonymous": LOGIN, "city": 200, "org_operator": 200, "*": 403},
    ),
    "carriers:carrier_todo": ("get", "/carriers/todo/", {"anonymous": LOGIN, **_VIEWERS, "*": 403}),
    "carriers:carrierrule_list": ("get", "/carriers/rules/", {"anonymous": LOGIN, **_VIEWERS, "*": 403}),
    "carriers:carrier_catalogue": ("get", "/carriers/catalogue/", {"*": 200}),
    "carriers:carrier_detail": ("get", "/carriers/{carrier}/", {"anonymous": LOGIN, **_VIEWERS, "*": 404}),
    "carriers:carrier_update": (
        "get",
        "/carriers/{carrier}/edit/",
        {"anonymous": LOGIN, "city": 200, "org_operator": 200, "*": 404},
    ),
    "carriers:carrier_resubmit": (
        "post",
        "/carriers/{carrier}/resubmit/",
        {"anonymous": LOGIN, "city": 302, "org_operator": 302, "*": 404},
    ),
    "carriers:carrier_pass": (
        "post",
        "/carriers/{carrier}/pass/",
        {"anonymous": LOGIN, "haizhou": 302, "*": 404},
    ),
    "carriers:carrier_return": (
        "post",
        "/carriers/{carrier}/return/",
        {"anonymous": LOGIN, "haizhou": 422, "*": 404},
    ),
    "carriers:carrier_reject": (
        "post",
        "/carriers/{carrier}/reject/",
        {"anonymous": LOGIN, "haizhou": 422, "*": 404},
    ),
    "carriers:carrier_score": (
        "post",
        "/carriers/{carrier}/score/",
        {"anonymous": LOGIN, "city": 422, "*": 404},
    ),
    "carriers:carrier_recognise": (
        "post",
        "/carriers/{carrier}/recognise/",
        {"anonymous": LOGIN, "city": 422, "*": 404},
    ),
    "carriers:carrier_assess": (
        "post",
        "/carriers/{carrier}/assess/",
        {"anonymous": LOGIN, "city": 422, "*": 404},
    ),
    "carriers:carrier_upgrade": (
        "post",
        "/carriers/{carrier}/upgrade/",
        {"anonymous": LOGIN, "city": 422, "*": 404},
    ),
    "carriers:carrier_revoke": (
        "post",
        "/carriers/{carrier}/revoke/",
        {"anonymous": LOGIN, "city": 422, "*": 404},
    ),
}


def _carrier_for(name, personas):
    from gongjiang.carriers.tests.factories import CarrierFactory, RecognisedCarrierFactory

    step = name.removeprefix("carriers:carrier_")
    owner = {"host": personas.org_haizhou, "leader": personas.person_haizhou}
    if step in ("assess", "upgrade", "revoke", "detail"):
        return RecognisedCarrierFactory(**owner).pk
    if step in ("score", "recognise"):
        return CarrierFactory(status="city_review", **owner).pk
    if step in ("update", "resubmit"):
        return CarrierFactory(status="returned", returned_from="county_review", **owner).pk
    return CarrierFactory(**owner).pk


def _attachment_url(personas) -> str:
    """A PDF handed in with a 海州 carrier's declaration."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongjiang.carriers.tests.factories import CarrierFactory
    from gongjiang.workflow.models import Attachment
    from gongjiang.workflow.services import attachments_store

    carrier = CarrierFactory(host=personas.org_haizhou, region_id="320706")
    upload = SimpleUploadedFile("台账.pdf", b"%PDF-1.4 ledger", content_type="application/pdf")
    attachments_store(obj=carrier, event=None, actor=personas.org_operator, files=[upload])
    return "/todo/files/%d/" % Attachment.objects.get(object_id=carrier.pk).pk


def _talent_notification_url(personas) -> str:
    """A message in the talent persona's inbox (nobody else may open it)."""
    from gongjiang.workflow.models import Notification
    from gongjiang.workflow.services import notify

    notify(users=[personas.talent], text="测试消息", url="/me/")
    return "/todo/notifications/%d/" % Notification.objects.get(user=personas.talent).pk


# The one to-do list (every signed-in user has one, possibly empty), workflow attachments, and
# each account's own messages.
TABLE |= {
    "workflow:notifications": ("get", "/todo/notifications/", {"anonymous": LOGIN, "*": 200}),
    "workflow:notifications_badge": ("get", "/todo/notifications/badge/", {"anonymous": LOGIN, "*": 200}),
    "workflow:notifications_read_all": ("post", "/todo/notifications/read/", {"anonymous": LOGIN, "*": 302}),
    "workflow:notification_open": (
        "get",
        _talent_notification_url,
        {"anonymous": LOGIN, "talent": 302, "*": 404},
    ),
    "workflow:todo": ("get", "/todo/", {"anonymous": LOGIN, "*": 200}),
    "workflow:todo_badge": ("get", "/todo/badge/", {"anonymous": LOGIN, "*": 200}),
    "workflow:attachment_download": (
        "get",
        _attachment_url,
        {"anonymous": LOGIN, **_VIEWERS, "*": 404},
    ),
}


def _verify_link(personas) -> str:
    from gongjiang.portal.tokens import certificate_token

    return "/verify/c/%s" % certificate_token(personas.person_haizhou.certificates.first().pk)


# Public certificate verification (page, signed QR link, API): anyone, signed in or not.
TABLE |= {
    "portal:verify": ("get", "/verify/", {"*": 200}),
    "portal:verify_link": ("get", _verify_link, {"*": 200}),
    "api:openapi-json": ("get", "/api/v1/openapi.json", {"*": 200}),
    "api:api-root": ("get", "/api/v1/", {"*": 404}),
    # A form post instead of JSON: refused as a bad request before anything is looked up.
    "api:certificate_verify": ("post", "/api/v1/certificates/verify", {"*": 400}),
}


def _token_revoke_url(personas) -> str:
    """A token the city issued to the organisation operator."""
    from gongjiang.api.services import api_token_create

    token, _secret = api_token_create(actor=personas.city, user=personas.org_operator, name="URL 表")
    return "/api-tokens/%d/revoke/" % token.pk


# The partner API answers bearer tokens only: a signed-in session is not one (401 for everybody).
# Its interactive docs are for signed-in users; the token page is the city admin's.
TABLE |= {
    "api:openapi-view": ("get", "/api/v1/docs", {"anonymous": LOGIN, "*": 200}),
    "api:person_list": ("get", "/api/v1/persons", {"*": 401}),
    "api:person_detail": ("get", "/api/v1/persons/{person}", {"*": 401}),
    "api:person_lookup": ("post", "/api/v1/persons/lookup", {"*": 401}),
    "api:person_by_digest": ("get", "/api/v1/persons/by-digest/" + "0" * 64, {"*": 401}),
    "api:person_reveal": ("post", "/api/v1/persons/{person}/reveal", {"*": 401}),
    "api:certificate_list": ("get", "/api/v1/certificates", {"*": 401}),
    "api:certificate_detail": ("get", "/api/v1/certificates/{certificate}", {"*": 401}),
    "api:organisation_list": ("get", "/api/v1/organisations", {"*": 401}),
    "api:organisation_detail": ("get", "/api/v1/organisations/{org}", {"*": 401}),
    "api:carrier_list": ("get", "/api/v1/carriers", {"*": 401}),
    "api:carrier_detail": ("get", "/api/v1/carriers/1", {"*": 401}),
    "api:indicators": ("get", "/api/v1/indicators", {"*": 401}),
    "api:roster_submit": ("post", "/api/v1/roster", {"*": 401}),
    "api:batch_results_submit": ("post", "/api/v1/evaluation/batches/1/results", {"*": 401}),
    "apitokens:token_list": ("get", "/api-tokens/", {"anonymous": LOGIN, "city": 200, "*": 403}),
    "apitokens:token_create": ("get", "/api-tokens/new/", {"anonymous": LOGIN, "city": 200, "*": 403}),
    "apitokens:token_revoke": ("post", _token_revoke_url, {"anonymous": LOGIN, "city": 302, "*": 404}),
}


def _correction_url(path: str):
    """A 海州 person's (the talent persona's) correction request, waiting on the county."""

    def build(personas) -> str:
        from gongjiang.portal.services import CorrectionData, correction_submit

        correction = correction_submit(
            actor=personas.talent,
            data=CorrectionData(kind="person", field="name", proposed_value="海州人员甲"),
        )
        return path.format(correction=correction.pk)

    return build


def _share_url(kind: str):
    """A share link of the talent persona's passport: its revoke URL, or the public page."""

    def build(personas) -> str:
        from gongjiang.portal.services import share_link_create

        link, token = share_link_create(actor=personas.talent, days=7)
        return "/me/share/%d/revoke/" % link.pk if kind == "revoke" else "/p/%s" % token

    return build


# The talent's own space; corrections are handled by the county of the person's region.
TABLE |= {
    "portal:passport": ("get", "/me/passport/", {"anonymous": LOGIN, "talent": 200, "*": 403}),
    "portal:share_create": ("post", "/me/share/", {"anonymous": LOGIN, "talent": 422, "*": 403}),
    "portal:share_revoke": ("post", _share_url("revoke"), {"anonymous": LOGIN, "talent": 302, "*": 404}),
    "portal:shared_passport": ("get", _share_url("public"), {"*": 200}),
    "portal:home": ("get", "/me/", {"anonymous": LOGIN, "talent": 200, "*": 403}),
    "portal:register": ("get", "/register/", {"anonymous": 200, "*": 302}),
    "portal:correction_list": (
        "get",
        "/corrections/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "talent": 200, "*": 403},
    ),
    "portal:correction_create": ("get", "/corrections/new/", {"anonymous": LOGIN, "talent": 200, "*": 403}),
    "portal:correction_detail": (
        "get",
        _correction_url("/corrections/{correction}/"),
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "talent": 200, "*": 404},
    ),
    # The reason ("reason") is not the step form's field: a return without its note is refused.
    "portal:correction_step": (
        "post",
        _correction_url("/corrections/{correction}/return/"),
        {"anonymous": LOGIN, "haizhou": 422, "*": 404},
    ),
}


# Training (措施一、三): the 海州 organisation persona runs a provider with a published course; its
# claim waits on the 海州 county; its enterprise record is for this year.
def _training_course(personas):
    from gongjiang.training.tests.factories import ProviderFactory, ScheduleFactory

    provider = ProviderFactory(organisation=personas.org_haizhou)
    return ScheduleFactory(course__provider=provider).course


def _training_url(path: str):
    def url(personas) -> str:
        course = _training_course(personas)
        return path.format(course=course.pk, provider=course.provider_id)

    return url


def _training_claim_url(suffix: str):
    def url(personas) -> str:
        from django.utils import timezone

        from gongjiang.training.models import SubsidyClaim

        course = _training_course(personas)
        claim = SubsidyClaim.objects.create(
            kind="vocational",
            claimant=personas.org_haizhou,
            region_id="320706",
            course=course,
            schedule=course.schedules.first(),
            bank_name="中国银行",
            account_cipher="",
            account_digest="",
            submitted_by=personas.org_operator,
            submitted_at=timezone.now(),
        )
        return "/training/claims/%d/%s" % (claim.pk, suffix)

    return url


def _training_record_url(suffix: str):
    def url(personas) -> str:
        from gongjiang.training.models import EnterpriseTraining

        record = EnterpriseTraining.objects.create(organisation=personas.org_haizhou, year=2026)
        return "/training/enterprise/%d/%s" % (record.pk, suffix)

    return url


def _training_sharing_url(suffix: str):
    """A 赣榆 organisation's request to the 海州 organisation persona's provider, waiting on it."""

    def url(personas) -> str:
        import datetime

        from django.utils import timezone

        from gongjiang.accounts.tests.factories import UserFactory
        from gongjiang.training.models import SharingRequest

        course = _training_course(personas)
        request = SharingRequest.objects.create(
            requester=personas.org_ganyu,
            provider=course.provider,
            resource="facility",
            needed_from=datetime.date(2027, 1, 4),
            needed_to=datetime.date(2027, 1, 8),
            note="借用焊接实训车间",
            submitted_by=UserFactory(
                username="ganyu-requester", role="org_operator", organisation=personas.org_ganyu
            ),
            submitted_at=timezone.now(),
        )
        return "/training/sharing/%d/%s" % (request.pk, suffix)

    return url


_TRAINING_READERS = {"city": 200, "haizhou": 200, "department": 200, "org_operator": 200}
_TRAINING_EDITORS = {"anonymous": LOGIN, "city": 200, "org_operator": 200, "*": 404}
TABLE |= {
    "training:course_catalogue": ("get", "/training/catalogue/?subsidised=true", {"*": 200}),
    "training:course_public": ("get", _training_url("/training/catalogue/{course}/"), {"*": 200}),
    "training:course_list": (
        "get",
        "/training/courses/",
        {"anonymous": LOGIN, **_TRAINING_READERS, "*": 403},
    ),
    "training:course_create": (
        "get",
        "/training/courses/new/",
        {"anonymous": LOGIN, "city": 200, "org_operator": 200, "*": 403},
    ),
    "training:course_update": ("get", _training_url("/training/courses/{course}/"), _TRAINING_EDITORS),
    "training:schedule_create": (
        "get",
        _training_url("/training/courses/{course}/schedules/new/"),
        _TRAINING_EDITORS,
    ),
    "training:provider_list": (
        "get",
        "/training/providers/",
        {"anonymous": LOGIN, **_TRAINING_READERS, "*": 403},
    ),
    "training:provider_create": (
        "get",
        "/training/providers/new/",
        {"anonymous": LOGIN, "city": 200, "org_operator": 200, "*": 403},
    ),
    "training:provider_update": ("get", _training_url("/training/providers/{provider}/"), _TRAINING_EDITORS),
    "training:teacher_create": (
        "get",
        _training_url("/training/providers/{provider}/teachers/new/"),
        _TRAINING_EDITORS,
    ),
    "training:claim_list": (
        "get",
        "/training/claims/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "training:claim_create": (
        "get",
        "/training/claims/new/",
        {"anonymous": LOGIN, "org_operator": 200, "*": 403},
    ),
    "training:claim_detail": (
        "get",
        _training_claim_url(""),
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "training:claim_step": (
        "post",
        _training_claim_url("reject/"),
        {"anonymous": LOGIN, "city": 302, "haizhou": 302, "org_operator": 302, "*": 404},
    ),
    "training:sharing_list": (
        "get",
        "/training/sharing/",
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "training:sharing_create": (
        "get",
        "/training/sharing/new/",
        {"anonymous": LOGIN, "org_operator": 200, "*": 403},
    ),
    "training:sharing_detail": (
        "get",
        _training_sharing_url(""),
        {"anonymous": LOGIN, "city": 200, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "training:sharing_step": (
        "post",
        _training_sharing_url("decline/"),
        {"anonymous": LOGIN, "city": 302, "haizhou": 302, "org_operator": 302, "*": 404},
    ),
    "training:record_list": (
        "get",
        "/training/enterprise/",
        {"anonymous": LOGIN, **_TRAINING_READERS, "*": 403},
    ),
    "training:record_create": (
        "get",
        "/training/enterprise/new/",
        {"anonymous": LOGIN, "haizhou": 200, "org_operator": 200, "*": 403},
    ),
    "training:record_update": (
        "get",
        _training_record_url(""),
        {"anonymous": LOGIN, "haizhou": 200, "org_operator": 200, "*": 404},
    ),
    "training:chain_add": (
        "post",
        _training_record_url("chain/"),
        {"anonymous": LOGIN, "haizhou": 302, "org_operator": 302, "*": 404},
    ),
}


def _spending_url(personas) -> str:
    """A manual spending row of the city's (plan rows are the city's and the departments')."""
    import datetime
    from decimal import Decimal

    from gongjiang.plan.models import FundingSource, Measure
    from gongjiang.plan.services import spending_add

    row = spending_add(
        actor=personas.city,
        source=FundingSource.objects.order_by("pk").first(),
        measure=Measure.objects.get(number=4),
        spent_on=datetime.date(2026, 6, 1),
        amount=Decimal("100"),
        description="测试支出",
    )
    return "/plan/funding/spending/%d/reverse/" % row.pk


def _plan_url(kind: str):
    """A measure-二 task of the department persona (市教育局; the measure names the counties, so
    the 海州 operator sees it too), its quarter's report (handed in, for the review step) and a
    督办 notice on it."""

    def build(personas) -> str:
        import datetime

        from gongjiang.plan.models import Measure, ProgressReport, Supervision
        from gongjiang.plan.services import report_submit, task_create

        task = task_create(
            actor=personas.city,
            measure=Measure.objects.get(number=2),
            title="教师企业实践",
            owner=personas.department_org,
            today=datetime.date(2026, 11, 20),
        )
        report = ProgressReport.objects.get(task=task)
        if kind == "task":
            return "/plan/tasks/%d/" % task.pk
        if kind == "task_update":
            return "/plan/tasks/%d/edit/" % task.pk
        if kind == "report":
            return "/plan/reports/%d/" % report.pk
        if kind == "report_step":
            report_submit(actor=personas.department, report=report, text="本季度进展")
            return "/plan/reports/%d/return/" % report.pk
        notice = Supervision.objects.create(
            kind="overdue_report",
            task=task,
            department=personas.department_org,
            report=report,
            text="进展报告逾期未报",
            raised_on=datetime.date(2027, 1, 16),
        )
        return "/plan/supervision/%d/%s" % (notice.pk, "reply/" if kind == "supervision_step" else "")

    return build


_PLAN_READERS = {"city": 200, "haizhou": 200, "department": 200}
_PLAN_FUNDING = {"city": 200, "department": 200}
# The plan: the city breaks measures into tasks and keeps the funding; departments report and
# reply to 督办; counties read the tasks that name them. A step the role may not take on a row it
# sees is refused with a message on the row's page (302), as for every workflow.
TABLE |= {
    "plan:matrix": ("get", "/plan/", {"anonymous": LOGIN, **_PLAN_READERS, "*": 403}),
    "plan:task_list": ("get", "/plan/tasks/", {"anonymous": LOGIN, **_PLAN_READERS, "*": 403}),
    "plan:task_create": ("get", "/plan/tasks/new/", {"anonymous": LOGIN, "city": 200, "*": 403}),
    "plan:task_detail": ("get", _plan_url("task"), {"anonymous": LOGIN, **_PLAN_READERS, "*": 404}),
    # the city and the owner department (a county reads the task but does not edit it)
    "plan:task_update": ("get", _plan_url("task_update"), {"anonymous": LOGIN, **_PLAN_FUNDING, "*": 404}),
    "plan:report_detail": ("get", _plan_url("report"), {"anonymous": LOGIN, **_PLAN_READERS, "*": 404}),
    "plan:report_step": (
        "post",
        _plan_url("report_step"),
        {"anonymous": LOGIN, "city": 302, "haizhou": 302, "department": 302, "*": 404},
    ),
    "plan:supervision_list": ("get", "/plan/supervision/", {"anonymous": LOGIN, **_PLAN_FUNDING, "*": 403}),
    "plan:supervision_detail": (
        "get",
        _plan_url("supervision"),
        {"anonymous": LOGIN, **_PLAN_FUNDING, "*": 404},
    ),
    "plan:supervision_step": (
        "post",
        _plan_url("supervision_step"),
        {"anonymous": LOGIN, "city": 302, "department": 302, "*": 404},
    ),
    "plan:funding": ("get", "/plan/funding/", {"anonymous": LOGIN, **_PLAN_FUNDING, "*": 403}),
    "plan:budget_create": ("get", "/plan/funding/budget/", {"anonymous": LOGIN, "city": 200, "*": 403}),
    "plan:spending_list": ("get", "/plan/funding/spending/", {"anonymous": LOGIN, **_PLAN_FUNDING, "*": 403}),
    "plan:spending_create": (
        "get",
        "/plan/funding/spending/new/",
        {"anonymous": LOGIN, "city": 200, "*": 403},
    ),
    "plan:spending_reverse": (
        "get",
        _spending_url,
        {"anonymous": LOGIN, "city": 200, "*": 403},
    ),
    "plan:funding_sync": ("post", "/plan/funding/sync/", {"anonymous": LOGIN, "city": 302, "*": 403}),
}


# Competitions and honours (measures 六 and 八): the city records, publishes and decides; counties and
# organisations nominate and read their people's results; departments read competitions and rounds.
def _competition_url(suffix: str):
    def build(personas) -> str:
        from gongjiang.competitions.tests.factories import CompetitionFactory

        return "/competitions/%d/%s" % (CompetitionFactory().pk, suffix)

    return build


def _event_url(suffix: str):
    def build(personas) -> str:
        from gongjiang.competitions.tests.factories import EventFactory

        return "/competitions/events/%d/%s" % (EventFactory().pk, suffix)

    return build


def _result_withdraw_url(personas) -> str:
    from gongjiang.competitions.tests.factories import ResultFactory

    return "/competitions/results/%d/withdraw/" % ResultFactory(person=personas.person_haizhou).pk


def _rule_url(personas) -> str:
    from gongjiang.competitions.models import AwardRule

    return "/competitions/rules/%d/edit/" % AwardRule.objects.order_by("pk").first().pk


def _round_url(suffix: str):
    def build(personas) -> str:
        from gongjiang.honours.tests.factories import SelectionRoundFactory

        return "/honours/rounds/%d/%s" % (SelectionRoundFactory().pk, suffix)

    return build


def _nomination_url(suffix: str):
    """A nomination of the 海州 persona by the 海州 organisation, waiting for the city."""

    def build(personas) -> str:
        import datetime

        from gongjiang.honours.services import NominationData, nomination_create
        from gongjiang.honours.tests.factories import SelectionRoundFactory

        nomination = nomination_create(
            actor=personas.org_operator,
            selection_round=SelectionRoundFactory(title_id="tech_expert"),
            data=NominationData(
                person=personas.person_haizhou, in_post_since=datetime.date(2015, 1, 1), merits="技术攻关"
            ),
        )
        return "/honours/nominations/%d/%s" % (nomination.pk, suffix)

    return build


_READERS = {"city": 200, "haizhou": 200, "department": 200, "org_operator": 200}
_PEOPLE = {"city": 200, "haizhou": 200, "org_operator": 200}
TABLE |= {
    "competitions:competition_list": ("get", "/competitions/", {"anonymous": LOGIN, **_READERS, "*": 403}),
    "competitions:competition_create": (
        "get",
        "/competitions/new/",
        {"anonymous": LOGIN, "city": 200, "*": 403},
    ),
    "competitions:competition_detail": (
        "get",
        _competition_url(""),
        {"anonymous": LOGIN, **_READERS, "*": 404},
    ),
    "competitions:event_create": (
        "get",
        _competition_url("events/new/"),
        {"anonymous": LOGIN, "city": 200, "*": 404},
    ),
    "competitions:event_detail": ("get", _event_url(""), {"anonymous": LOGIN, **_READERS, "*": 404}),
    "competitions:result_record": (
        "post",
        _event_url("record/"),
        {"anonymous": LOGIN, "city": 422, "*": 404},
    ),
    "competitions:event_publish": (
        "post",
        _event_url("publish/"),
        {"anonymous": LOGIN, "city": 302, "*": 404},
    ),
    "competitions:result_list": (
        "get",
        "/competitions/results/",
        {"anonymous": LOGIN, **_PEOPLE, "talent": 200, "*": 403},
    ),
    "competitions:result_withdraw": (
        "post",
        _result_withdraw_url,
        {"anonymous": LOGIN, "city": 302, "*": 404},
    ),
    "competitions:awardrule_list": (
        "get",
        "/competitions/rules/",
        {"anonymous": LOGIN, **_READERS, "*": 403},
    ),
    "competitions:awardrule_create": (
        "get",
        "/competitions/rules/new/",
        {"anonymous": LOGIN, "city": 200, "*": 403},
    ),
    "competitions:awardrule_update": ("get", _rule_url, {"anonymous": LOGIN, "city": 200, "*": 404}),
    "honours:round_list": ("get", "/honours/", {"anonymous": LOGIN, **_READERS, "*": 403}),
    "honours:round_create": ("get", "/honours/rounds/new/", {"anonymous": LOGIN, "city": 200, "*": 403}),
    "honours:round_detail": ("get", _round_url(""), {"anonymous": LOGIN, **_READERS, "*": 404}),
    "honours:nomination_create": (
        "get",
        _round_url("nominate/"),
        {"anonymous": LOGIN, **_PEOPLE, "department": 403, "*": 404},
    ),
    "honours:nomination_list": ("get", "/honours/nominations/", {"anonymous": LOGIN, **_PEOPLE, "*": 403}),
    "honours:nomination_detail": ("get", _nomination_url(""), {"anonymous": LOGIN, **_PEOPLE, "*": 404}),
    "honours:nomination_transition": (
        "post",
        _nomination_url("shortlist/"),
        {"anonymous": LOGIN, "city": 302, "*": 404},
    ),
    "honours:award_list": (
        "get",
        "/honours/awards/",
        {"anonymous": LOGIN, **_PEOPLE, "talent": 200, "*": 403},
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
    job = _job_of(personas.haizhou) if "{job}" in str(template) else None
    evaluation = url_table_objects(personas) if str(template).startswith("/evaluation/") else {}
    url = (
        template(personas)
        if callable(template)
        else template.format(
            person=person.pk,
            certificate=person.certificates.first().pk,
            org=personas.org_haizhou.pk,
            job=job.pk if job else "",
            carrier=_carrier_for(name, personas) if "{carrier}" in template else "",
            **evaluation,
        )
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
    assert client.get("/refdata/", follow=True).status_code == 403  # the product's 403 page
    client.force_login(personas.city)
    response = client.get("/refdata/core/region/")
    assert response.status_code == 200
    assert "海州区" in response.content.decode()
