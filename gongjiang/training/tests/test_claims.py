"""Subsidy claim checks on crafted data: one test per refusal reason, then the workflow and the
payment of approved lines through the benefits batches (exactly once)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongjiang.accounts.scope import OutOfScope
from gongjiang.benefits.models import Entitlement, PaymentLine
from gongjiang.benefits.services import payment_batch_create
from gongjiang.core.crypto import decrypt
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory
from gongjiang.training.models import ClaimCap
from gongjiang.training.services import Trainee, claim_step, claim_submit

from .factories import ProviderFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(personas):
    """A class of the 海州 organisation's A-class 高级工 welding course, begun 2026-03-01."""
    provider = ProviderFactory(organisation=personas.org_haizhou)
    return ScheduleFactory(course__provider=provider)


def trainee(**cert):
    """A person with a certificate matching the course unless ``cert`` says otherwise."""
    person = PersonFactory(region_id="320706")
    fields = {"occupation_id": "6-18-02", "level_id": "GRADE3", "issue_date": datetime.date(2026, 6, 1)}
    fields.update(cert)
    certificate = CertificateFactory(person=person, **fields)
    return person, certificate


def as_trainee(person, certificate, **over) -> Trainee:
    data = {
        "name": person.name,
        "resident_id": decrypt(person.id_cipher),
        "certificate_number": certificate.number,
    }
    data.update(over)
    return Trainee(**data)


def submit(personas, schedule, trainees, kind="vocational"):
    return claim_submit(
        actor=personas.org_operator,
        kind=kind,
        schedule=schedule,
        bank_name="中国银行连云港分行",
        account="6217 0000 1111 2222 333",
        trainees=trainees,
    )


def reasons(claim):
    return {line.row_no: line.reasons for line in claim.lines.order_by("row_no")}


def test_a_matching_certificate_issued_after_the_class_began_is_eligible_at_the_table_amount(
    personas, schedule
):
    claim = submit(personas, schedule, [as_trainee(*trainee())])
    line = claim.lines.get()
    assert line.eligible and line.reasons == ""
    assert line.amount == 2500  # class A, 高级工 (demo table)
    assert claim.status == "county_review"


def test_a_certificate_issued_before_the_course_began_is_refused(personas, schedule):
    claim = submit(personas, schedule, [as_trainee(*trainee(issue_date=datetime.date(2026, 2, 28)))])
    line = claim.lines.get()
    assert not line.eligible and line.amount == 0
    assert line.reasons == "发证日期 2026-02-28 早于开班日期 2026-03-01"


@pytest.mark.parametrize(
    "cert, expected",
    [
        ({"occupation_id": "4-12-01"}, "证书职业（4-12-01）与课程职业不符"),
        ({"level_id": "GRADE4"}, "证书等级（中级工）与课程等级不符"),
    ],
)
def test_a_certificate_of_another_occupation_or_level_is_refused(personas, schedule, cert, expected):
    claim = submit(personas, schedule, [as_trainee(*trainee(**cert))])
    assert reasons(claim) == {1: expected}


def test_a_revoked_or_expired_certificate_is_refused(personas, schedule):
    revoked = trainee()
    revoked[1].status = "revoked"
    revoked[1].save()
    expired = trainee(valid_until=datetime.date(2026, 6, 30))
    claim = submit(personas, schedule, [as_trainee(*revoked), as_trainee(*expired)])
    assert reasons(claim) == {1: "证书已撤销", 2: "证书已于 2026-06-30 过期"}


def test_an_unknown_person_a_wrong_name_or_someone_elses_certificate_is_refused(personas, schedule):
    person, certificate = trainee()
    _other, other_cert = trainee()
    claim = submit(
        personas,
        schedule,
        [
            as_trainee(person, certificate, resident_id="110101199003070011"),
            as_trainee(person, certificate, name="张冒名"),
            as_trainee(person, other_cert),
        ],
    )
    assert reasons(claim) == {
        1: "人才库中没有该身份证号的人员",
        2: "姓名与人才库记录（%s）不一致" % person.name,
        3: "该人员名下没有编号为 %s 的证书" % other_cert.number,
    }


def test_a_second_claim_for_the_same_person_occupation_and_level_is_refused(personas, schedule):
    person, certificate = trainee()
    first = submit(personas, schedule, [as_trainee(person, certificate)])
    assert first.lines.get().eligible
    second_class = ScheduleFactory(course=schedule.course, starts_on=datetime.date(2026, 4, 1))
    again = submit(
        personas,
        second_class,
        [
            as_trainee(
                person,
                CertificateFactory(
                    person=person, occupation_id="6-18-02", issue_date=datetime.date(2026, 6, 2)
                ),
            )
        ],
    )
    assert reasons(again) == {1: "该人员已申领过同职业同等级的职业技能培训补贴，每人每职业每等级限一次"}
    # the same person twice in one claim: the second line is refused
    twice = submit(personas, second_class, [as_trainee(*trainee())] * 2)
    assert [line.eligible for line in twice.lines.order_by("row_no")] == [True, False]


def test_a_rejected_claim_frees_the_person_for_a_new_one(personas, schedule):
    person, certificate = trainee()
    first = submit(personas, schedule, [as_trainee(person, certificate)])
    claim_step(actor=personas.haizhou, claim=first, action="reject", reason="材料不全")
    assert submit(personas, schedule, [as_trainee(person, certificate)]).lines.get().eligible


def test_the_same_certificate_is_not_subsidised_under_both_kinds(personas, schedule):
    person, certificate = trainee()
    submit(personas, schedule, [as_trainee(person, certificate)], kind="vocational")
    other = submit(personas, schedule, [as_trainee(person, certificate)], kind="upgrade")
    assert reasons(other) == {1: "该证书已申领职业技能培训补贴，不能同时申领技能提升补贴"}


def test_a_person_over_the_yearly_cap_is_refused(personas, schedule):
    ClaimCap.objects.filter(year=datetime.date.today().year).update(max_lines=2)
    person = PersonFactory(region_id="320706")
    lines = []
    for occupation in ("6-18-02", "4-12-01", "4-02-03"):
        course_schedule = ScheduleFactory(
            course__provider=schedule.course.provider, course__occupation_id=occupation
        )
        cert = CertificateFactory(
            person=person, occupation_id=occupation, issue_date=datetime.date(2026, 6, 1)
        )
        lines.append(submit(personas, course_schedule, [as_trainee(person, cert)]).lines.get())
    assert [line.eligible for line in lines] == [True, True, False]
    year = datetime.date.today().year
    assert lines[2].reasons == "该人员%d年已享受 2 次培训补贴，达到每年 2 次的上限" % year


def test_a_course_without_subsidy_class_gives_no_amount(personas, schedule):
    schedule.course.subsidy_class = ""
    schedule.course.save()
    claim = submit(personas, schedule, [as_trainee(*trainee())])
    assert reasons(claim) == {1: "课程未列入补贴目录或补贴标准中没有该类别和等级"}


def test_a_provider_claims_only_for_its_own_courses(personas):
    others = ScheduleFactory(course__provider=ProviderFactory(organisation=personas.org_ganyu))
    with pytest.raises(OutOfScope):
        submit(personas, others, [as_trainee(*trainee())])


def test_an_invalid_id_number_is_refused_before_anything_is_written(personas, schedule):
    person, certificate = trainee()
    with pytest.raises(ValidationError) as caught:
        submit(personas, schedule, [as_trainee(person, certificate, resident_id="123")])
    assert caught.value.message_dict == {"trainees": ["第1名学员的身份证号无效"]}


def test_county_then_city_approve_and_the_batch_pays_each_eligible_line_exactly_once(personas, schedule):
    good = [trainee(), trainee()]
    bad = trainee(issue_date=datetime.date(2026, 1, 5))
    claim = submit(personas, schedule, [as_trainee(*t) for t in (*good, bad)])
    with pytest.raises(ValidationError):  # the one who submits does not review
        claim_step(actor=personas.org_operator, claim=claim, action="county_pass")
    claim_step(actor=personas.haizhou, claim=claim, action="county_pass")
    claim = claim_step(actor=personas.city, claim=claim, action="approve")
    assert claim.status == "approved"
    granted = Entitlement.objects.filter(training_line__claim=claim)
    assert sorted(e.person_id for e in granted) == sorted(p.pk for p, _c in good)
    assert {(e.status, e.amount, e.occupation_id, e.policy.code) for e in granted} == {
        ("payable", 2500, "6-18-02", "TRAIN-VOCATIONAL")
    }
    month = datetime.date.today().replace(day=1)
    first = payment_batch_create(actor=personas.city, month=month)
    second = payment_batch_create(actor=personas.city, month=month)
    paid = PaymentLine.objects.filter(entitlement__training_line__claim=claim)
    assert paid.count() == 2 and set(paid.values_list("batch_id", flat=True)) == {first.pk}
    assert second.lines.filter(entitlement__training_line__claim=claim).count() == 0
    assert sum(line.amount for line in paid) == 5000


def test_a_line_that_became_ineligible_before_approval_is_not_granted(personas, schedule):
    person, certificate = trainee()
    claim = submit(personas, schedule, [as_trainee(person, certificate), as_trainee(*trainee())])
    claim_step(actor=personas.haizhou, claim=claim, action="county_pass")
    certificate.status = "revoked"
    certificate.save()
    claim_step(actor=personas.city, claim=claim, action="approve")
    first = claim.lines.get(row_no=1)
    assert (first.eligible, first.reasons, first.entitlement_id) == (False, "证书已撤销", None)
    assert claim.lines.get(row_no=2).entitlement is not None


def test_claim_transitions_are_the_declared_table():
    from gongjiang.training.workflows import CLAIM_WORKFLOW

    table = {name: (t.sources, t.target) for name, t in CLAIM_WORKFLOW.transitions.items()}
    assert table == {
        "county_pass": (("county_review",), "city_review"),
        "approve": (("city_review",), "approved"),
        "return": (("county_review", "city_review"), "returned"),
        "reject": (("county_review", "city_review"), "rejected"),
        "resubmit": (("returned",), "__returned_from__"),
    }


def test_the_subsidy_policies_read_as_policies_of_their_own_mode(client, personas, schedule):
    claim = submit(personas, schedule, [as_trainee(*trainee())])
    claim_step(actor=personas.haizhou, claim=claim, action="county_pass")
    claim_step(actor=personas.city, claim=claim, action="approve")
    client.force_login(personas.city)
    page = client.get("/benefits/policies/").content.decode()
    assert "职业技能培训补贴" in page and "培训补贴申领" in page
    entitlement = Entitlement.objects.get(training_line__claim=claim)
    assert client.get("/benefits/entitlements/%d/" % entitlement.pk).status_code == 200
    from gongjiang.benefits.selectors import policies_in_force

    assert "TRAIN-VOCATIONAL" not in [p.code for p, _spec in policies_in_force(on=datetime.date.today())]


def _talent_policy(personas):
    """The talent's own 技能提升补贴 (benefits, by application), declared exclusive with the
    training claims' policies, as the demo policy is."""
    import json

    from gongjiang.benefits.models import BenefitPolicy
    from gongjiang.benefits.services import policies_load

    rules = {
        "code": "SKILL-UPGRADE-SUBSIDY",
        "name": "技能提升补贴（个人申请）",
        "mode": "application",
        "effective": ["2026-01-01", None],
        "levels": {"GRADE4": 1500, "GRADE3": 2000},
        "certificate_types": ["skill_level", "qualification"],
        "attained": ["2026-01-01", None],
        "per": "level",
        "excludes": ["TRAIN-UPGRADE", "TRAIN-VOCATIONAL"],
        "budget": {str(datetime.date.today().year): 100000},
    }
    policies_load(actor=None, text=json.dumps([rules], ensure_ascii=False))
    return BenefitPolicy.objects.get(code="SKILL-UPGRADE-SUBSIDY")


def _apply(personas, policy):
    from gongjiang.benefits.services import application_submit

    return application_submit(
        actor=personas.talent,
        person=personas.person_haizhou,
        policy=policy,
        bank_name="中国银行",
        account="6217852000001234567",
        consent=True,
    )


def _approve_claim(personas, claim):
    claim_step(actor=personas.haizhou, claim=claim, action="county_pass")
    return claim_step(actor=personas.city, claim=claim, action="approve")


def test_a_skill_upgrade_is_paid_once_whether_the_talent_applied_or_the_provider_claimed(personas, schedule):
    """技能提升补贴 reaches a talent two ways: the talent's application (benefits) and the training
    provider's claim (training). One certificate level is paid once: each way refuses what the
    other already granted, and an approval re-checks what was granted since the submission."""
    from gongjiang.benefits.engine import person_verdict
    from gongjiang.benefits.selectors import version_spec
    from gongjiang.benefits.services import application_step

    policy = _talent_policy(personas)
    person = personas.person_haizhou
    certificate = CertificateFactory(
        person=person, occupation_id="6-18-02", level_id="GRADE3", issue_date=datetime.date(2026, 6, 1)
    )
    # The talent applies first; before the city approves, the provider's claim is approved.
    application = _apply(personas, policy)
    application_step(actor=personas.org_operator, application=application, action="employer_confirm")
    application_step(actor=personas.haizhou, application=application, action="county_pass")
    claim = _approve_claim(
        personas, submit(personas, schedule, [as_trainee(person, certificate)], kind="upgrade")
    )
    assert claim.status == "approved" and claim.lines.get().entitlement is not None
    with pytest.raises(ValidationError, match=r"已享受“技能提升补贴”的同级待遇.*不能批准"):
        application_step(actor=personas.city, application=application, action="approve")
    assert not Entitlement.objects.filter(policy=policy).exists()
    # The engine's reading for the talent now says why, by the policy's name.
    verdict = person_verdict(
        version_spec(policy.versions.get(), policy=policy), person, datetime.date.today()
    )
    assert not verdict.eligible
    assert [(c.label, c.reason) for c in verdict.checks if not c.ok] == [
        ("不重复享受", "已享受技能提升补贴（高级工）")
    ]


def test_a_provider_claim_is_refused_for_a_level_the_talent_was_granted(personas, schedule):
    from gongjiang.benefits.services import application_step

    policy = _talent_policy(personas)
    person = personas.person_haizhou
    certificate = CertificateFactory(
        person=person, occupation_id="6-18-02", level_id="GRADE3", issue_date=datetime.date(2026, 6, 1)
    )
    application = _apply(personas, policy)
    for actor, action in (
        (personas.org_operator, "employer_confirm"),
        (personas.haizhou, "county_pass"),
        (personas.city, "approve"),
    ):
        application_step(actor=actor, application=application, action=action)
    assert Entitlement.objects.filter(policy=policy, person=person, level_id="GRADE3").count() == 1
    claim = submit(personas, schedule, [as_trainee(person, certificate)], kind="upgrade")
    assert reasons(claim) == {1: "该人员已享受同等级的“技能提升补贴（个人申请）”，不能再申领技能提升补贴"}
    vocational = submit(personas, schedule, [as_trainee(person, certificate)], kind="vocational")
    assert "不能再申领职业技能培训补贴" in reasons(vocational)[1]
