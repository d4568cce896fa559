"""The carrier lifecycle: each step by the role that owns it; illegal steps refused with nothing
changed; the per-type rules (leader level, lock-out, 优秀 share, expert scores, deadlines) as data."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.carriers import services
from gongjiang.carriers.choices import AssessmentResult, CarrierLevel, CarrierStatus
from gongjiang.carriers.models import Carrier, CarrierAssessment, CarrierRule
from gongjiang.carriers.selectors import carrier_todo
from gongjiang.carriers.services import CarrierData
from gongjiang.carriers.tests.factories import CarrierFactory, RecognisedCarrierFactory, history, leader_at
from gongjiang.workflow.models import Event

pytestmark = pytest.mark.django_db

S = CarrierStatus


def declaration(personas, **overrides) -> CarrierData:
    values = {
        "name": "海州测试高技能人才培训基地",
        "carrier_type_id": "hs_training_base",
        "applied_level": CarrierLevel.CITY,
        "host_id": personas.org_haizhou.pk,
        "leader_id": personas.person_haizhou.pk,
        "region_id": "320706",
        "domain_id": "advanced_manufacturing",
        "summary": "依托企业实训中心，年培训焊工300人次。",
    }
    values.update(overrides)
    return CarrierData(**values)


def scores(carrier, city, n=3):
    for i in range(n):
        services.carrier_score_add(actor=city, carrier=carrier, expert_name=f"专家{i}", score=Decimal(80 + i))


def test_declaration_walks_to_recognition_with_history_and_audit(personas):
    carrier = services.carrier_declare(actor=personas.org_operator, data=declaration(personas))
    assert carrier.status == S.COUNTY_REVIEW
    rule = CarrierRule.objects.get(carrier_type_id="hs_training_base")
    assert carrier.due_on == timezone.localdate() + datetime.timedelta(days=rule.county_review_days)

    services.carrier_county_pass(actor=personas.haizhou, carrier=carrier, note="材料齐全")
    carrier.refresh_from_db()
    assert carrier.status == S.CITY_REVIEW
    assert carrier.due_on == timezone.localdate() + datetime.timedelta(days=rule.city_review_days)

    services.carrier_score_add(
        actor=personas.city, carrier=carrier, expert_name="王专家", score=Decimal("86")
    )
    services.carrier_score_add(
        actor=personas.city, carrier=carrier, expert_name="李专家", score=Decimal("90")
    )
    services.carrier_score_add(
        actor=personas.city, carrier=carrier, expert_name="赵专家", score=Decimal("91")
    )
    assert services.score_mean(carrier) == Decimal("89.00")
    services.carrier_recognise(
        actor=personas.city,
        carrier=carrier,
        level=CarrierLevel.CITY,
        on=timezone.localdate(),
        grant_amount=Decimal("200000"),
    )
    carrier.refresh_from_db()
    assert (carrier.status, carrier.level, carrier.due_on) == (S.RECOGNISED, CarrierLevel.CITY, None)
    assert carrier.first_recognised_on == carrier.city_level_since == timezone.localdate()
    assert carrier.grant_amount == Decimal("200000")
    assert history(carrier) == [
        ("declare", "", S.COUNTY_REVIEW),
        ("county_pass", S.COUNTY_REVIEW, S.CITY_REVIEW),
        ("score", S.CITY_REVIEW, S.CITY_REVIEW),
        ("score", S.CITY_REVIEW, S.CITY_REVIEW),
        ("score", S.CITY_REVIEW, S.CITY_REVIEW),
        ("recognise", S.CITY_REVIEW, S.RECOGNISED),
    ]
    actors = list(Event.objects.filter(carrier=carrier).values_list("actor__username", flat=True))
    assert actors[:2] == ["org", "haizhou"] and actors[-1] == "city"
    recognised = AuditEntry.objects.get(action="carrier.recognise", object_id=str(carrier.pk))
    assert recognised.changes["mean_score"] == "89.00"


def test_returned_declaration_goes_back_to_the_step_that_returned_it(personas):
    carrier = services.carrier_declare(actor=personas.org_operator, data=declaration(personas))
    services.carrier_return(actor=personas.haizhou, carrier=carrier, note="请补充实训设备清单")
    carrier.refresh_from_db()
    assert (carrier.status, carrier.returned_from) == (S.RETURNED, S.COUNTY_REVIEW)
    services.carrier_update(
        actor=personas.org_operator, carrier=carrier, data=declaration(personas, name="海州焊接实训培训基地")
    )
    services.carrier_resubmit(actor=personas.org_operator, carrier=carrier)
    carrier.refresh_from_db()
    assert (carrier.status, carrier.name) == (S.COUNTY_REVIEW, "海州焊接实训培训基地")

    services.carrier_county_pass(actor=personas.haizhou, carrier=carrier)
    services.carrier_return(actor=personas.city, carrier=Carrier.objects.get(pk=carrier.pk), note="补充师资")
    services.carrier_resubmit(actor=personas.org_operator, carrier=carrier)
    carrier.refresh_from_db()
    assert carrier.status == S.CITY_REVIEW  # straight back to the city, not through the county again
    assert carrier.city_round == 2
    assert [a for a, _f, _t in history(carrier)] == [
        "declare",
        "return",
        "update",
        "resubmit",
        "county_pass",
        "return",
        "resubmit",
    ]


def _in_status(status, host, **extra):
    if status in (S.RECOGNISED, S.REVOKED):
        carrier = RecognisedCarrierFactory(host=host, **extra)
        if status == S.REVOKED:
            Carrier.objects.filter(pk=carrier.pk).update(
                status=S.REVOKED, revoked_on=datetime.date(2026, 7, 1)
            )
        return Carrier.objects.get(pk=carrier.pk)
    fields = {"status": status}
    if status == S.RETURNED:
        fields["returned_from"] = S.COUNTY_REVIEW
    return CarrierFactory(host=host, **fields, **extra)


def _snapshot(carrier):
    carrier = Carrier.objects.get(pk=carrier.pk)
    return (
        carrier.status,
        carrier.level,
        carrier.due_on,
        carrier.recognised_on,
        carrier.revoked_on,
        Event.objects.filter(carrier=carrier).count(),
        CarrierAssessment.objects.filter(carrier=carrier).count(),
    )


STEPS = {
    "county_pass": (
        {S.COUNTY_REVIEW},
        "haizhou",
        lambda c, a: services.carrier_county_pass(actor=a, carrier=c),
    ),
    "return": (
        {S.COUNTY_REVIEW, S.CITY_REVIEW},
        "city",
        lambda c, a: services.carrier_return(actor=a, carrier=c, note="请补正"),
    ),
    "reject": (
        {S.COUNTY_REVIEW, S.CITY_REVIEW},
        "city",
        lambda c, a: services.carrier_reject(actor=a, carrier=c, note="不符合条件"),
    ),
    "resubmit": ({S.RETURNED}, "org_operator", lambda c, a: services.carrier_resubmit(actor=a, carrier=c)),
    "score": (
        {S.CITY_REVIEW},
        "city",
        lambda c, a: services.carrier_score_add(actor=a, carrier=c, expert_name="专家", score=Decimal(80)),
    ),
    "recognise": (
        {S.CITY_REVIEW},
        "city",
        lambda c, a: services.carrier_recognise(
            actor=a, carrier=c, level=CarrierLevel.CITY, on=timezone.localdate()
        ),
    ),
    "assess": (
        {S.RECOGNISED},
        "city",
        lambda c, a: services.carrier_assess(
            actor=a, carrier=c, year=2026, result=AssessmentResult.QUALIFIED
        ),
    ),
    "upgrade": (
        {S.RECOGNISED},
        "city",
        lambda c, a: services.carrier_upgrade(
            actor=a, carrier=c, level=CarrierLevel.PROVINCE, on=timezone.localdate()
        ),
    ),
    "revoke": (
        {S.RECOGNISED},
        "city",
        lambda c, a: services.carrier_revoke(actor=a, carrier=c, reason="考核不合格"),
    ),
}


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("status", list(S))
def test_each_step_only_from_its_statuses(personas, step, status):
    """Every (step, status) pair: legal ones move the carrier on; illegal ones raise a Chinese
    ValidationError and leave the carrier, its history and its assessments as they were."""
    legal, who, run = STEPS[step]
    carrier = _in_status(status, host=personas.org_haizhou)
    if step == "recognise" and status == S.CITY_REVIEW:
        scores(carrier, personas.city)
    if step == "return" and status == S.COUNTY_REVIEW:
        who = "haizhou"  # the county returns at its own step
    if step == "reject" and status == S.COUNTY_REVIEW:
        who = "haizhou"
    actor = getattr(personas, who)
    before = _snapshot(carrier)
    if status in legal:
        run(carrier, actor)
        assert _snapshot(carrier) != before
    else:
        with pytest.raises(ValidationError) as exc:
            run(carrier, actor)
        assert "当前状态" in str(exc.value)
        assert _snapshot(carrier) == before


@pytest.mark.parametrize(
    ("who", "step"),
    [
        ("org_operator", "county_pass"),  # the county's step
        ("city", "county_pass"),
        ("ganyu", "county_pass"),  # another county
        ("department", "county_pass"),
        ("haizhou", "recognise"),  # the city's step
        ("org_operator", "recognise"),
        ("haizhou", "revoke"),
        ("haizhou", "resubmit"),  # the host's step
    ],
)
def test_a_step_belongs_to_its_role(personas, who, step):
    status = {"county_pass": S.COUNTY_REVIEW, "recognise": S.CITY_REVIEW, "revoke": S.RECOGNISED}.get(
        step, S.RETURNED
    )
    carrier = _in_status(status, host=personas.org_haizhou)
    if step == "recognise":
        scores(carrier, personas.city)
    before = _snapshot(carrier)
    with pytest.raises(PermissionDenied):
        STEPS[step][2](carrier, getattr(personas, who))
    assert _snapshot(carrier) == before


def test_region_operator_cannot_return_at_the_city_step(personas):
    carrier = _in_status(S.CITY_REVIEW, host=personas.org_haizhou)
    with pytest.raises(PermissionDenied):
        services.carrier_return(actor=personas.haizhou, carrier=carrier, note="请补正")
    assert Carrier.objects.get(pk=carrier.pk).status == S.CITY_REVIEW


def test_who_declares_on_behalf_does_not_recognise(personas):
    carrier = services.carrier_declare(actor=personas.city, data=declaration(personas))
    services.carrier_county_pass(actor=personas.haizhou, carrier=carrier)
    other = UserFactory(username="city2", role=Role.CITY_ADMIN)
    scores(carrier, other)
    with pytest.raises(ValidationError, match="申报人不能审核本人提交的申报"):
        services.carrier_recognise(
            actor=personas.city, carrier=carrier, level="city", on=timezone.localdate()
        )
    services.carrier_recognise(actor=other, carrier=carrier, level="city", on=timezone.localdate())
    assert Carrier.objects.get(pk=carrier.pk).status == S.RECOGNISED


def test_recognition_needs_the_rules_number_of_expert_scores(personas):
    carrier = _in_status(S.CITY_REVIEW, host=personas.org_haizhou)
    scores(carrier, personas.city, n=2)
    with pytest.raises(ValidationError, match="至少3位专家"):
        services.carrier_recognise(
            actor=personas.city, carrier=carrier, level="city", on=timezone.localdate()
        )
    CarrierRule.objects.filter(carrier_type_id="hs_training_base").update(min_expert_scores=2)
    services.carrier_recognise(actor=personas.city, carrier=carrier, level="city", on=timezone.localdate())
    with pytest.raises(ValidationError, match="已经评过分"):
        other = _in_status(S.CITY_REVIEW, host=personas.org_ganyu)
        scores(other, personas.city, n=1)
        scores(other, personas.city, n=1)


def test_level_must_be_one_the_type_lists(personas):
    with pytest.raises(ValidationError) as exc:
        services.carrier_declare(
            actor=personas.org_operator, data=declaration(personas, applied_level=CarrierLevel.COUNTY)
        )
    assert exc.value.message_dict["applied_level"] == ["高技能人才培训基地只能申报：市级、省级、国家级"]
    station = services.carrier_declare(
        actor=personas.org_operator,
        data=declaration(
            personas, carrier_type_id="rural_craftsman_station", applied_level=CarrierLevel.COUNTY
        ),
    )
    assert station.applied_level == CarrierLevel.COUNTY


# --- the per-type leader rule ---------------------------------------------------------------


def test_skill_master_studio_needs_a_leader_at_technician_or_above(personas):
    senior_worker = leader_at("GRADE3", employer=personas.org_haizhou, name="高级工甲")
    technician = leader_at("GRADE2", employer=personas.org_haizhou, name="技师乙")
    data = declaration(personas, carrier_type_id="skill_master_studio", name="技能大师工作室")
    with pytest.raises(ValidationError) as exc:
        services.carrier_declare(
            actor=personas.org_operator,
            data=declaration(personas, carrier_type_id="skill_master_studio", leader_id=senior_worker.pk),
        )
    assert exc.value.message_dict["leader"] == [
        "技能大师工作室的领办人须为技师及以上，高级工甲目前的最高有效等级为高级工"
    ]
    assert not Carrier.objects.filter(carrier_type_id="skill_master_studio").exists()
    data.leader_id = technician.pk
    assert services.carrier_declare(actor=personas.org_operator, data=data).leader == technician


def test_leader_rule_is_data_the_city_admin_can_change(personas):
    middle_worker = leader_at("GRADE4", employer=personas.org_haizhou)
    data = declaration(personas, carrier_type_id="hs_training_base", leader_id=middle_worker.pk)
    services.carrier_declare(actor=personas.org_operator, data=data)  # no minimum for this type
    CarrierRule.objects.filter(carrier_type_id="skill_master_studio").update(min_leader_level_id="GRADE4")
    studio = declaration(personas, carrier_type_id="skill_master_studio", leader_id=middle_worker.pk)
    assert services.carrier_declare(actor=personas.org_operator, data=studio).status == S.COUNTY_REVIEW


def test_leader_rule_is_checked_again_at_recognition(personas):
    technician = leader_at("GRADE2", employer=personas.org_haizhou)
    carrier = _in_status(
        S.CITY_REVIEW, host=personas.org_haizhou, carrier_type_id="skill_master_studio", leader=technician
    )
    scores(carrier, personas.city)
    CarrierRule.objects.filter(carrier_type_id="skill_master_studio").update(min_leader_level_id="GRADE1")
    with pytest.raises(ValidationError, match="高级技师及以上"):
        services.carrier_recognise(
            actor=personas.city, carrier=carrier, level="city", on=timezone.localdate()
        )
    assert Carrier.objects.get(pk=carrier.pk).status == S.CITY_REVIEW


def test_organisation_may_name_only_its_own_staff_as_leader(personas):
    with pytest.raises(ValidationError) as exc:
        services.carrier_declare(
            actor=personas.org_operator, data=declaration(personas, leader_id=personas.person_ganyu.pk)
        )
    assert exc.value.message_dict["leader"] == ["在您可查看的人才库中没有找到该领办人"]


def test_same_studio_cannot_be_declared_twice_while_live(personas):
    services.carrier_declare(actor=personas.org_operator, data=declaration(personas))
    with pytest.raises(ValidationError, match="不能重复申报"):
        services.carrier_declare(actor=personas.org_operator, data=declaration(personas, name="另一个名称"))


# --- revocation lock-out --------------------------------------------------------------------


def test_revoked_host_may_not_declare_the_same_type_within_the_lockout(personas):
    carrier = RecognisedCarrierFactory(host=personas.org_haizhou, leader=personas.person_haizhou)
    services.carrier_revoke(
        actor=personas.city, carrier=carrier, reason="年度考核不合格", on=datetime.date(2026, 7, 1)
    )
    carrier.refresh_from_db()
    assert (carrier.status, carrier.revoked_on, carrier.revoked_reason) == (
        S.REVOKED,
        datetime.date(2026, 7, 1),
        "年度考核不合格",
    )
    with pytest.raises(ValidationError) as exc:
        services.carrier_declare(actor=personas.org_operator, data=declaration(personas))
    assert exc.value.message_dict["carrier_type"] == [
        "该单位的高技能人才培训基地已于2026-07-01被撤销，2029-07-01前不得再次申报同类载体"
    ]
    # another type is not locked
    other = declaration(personas, carrier_type_id="industry_education_base")
    assert services.carrier_declare(actor=personas.org_operator, data=other).status == S.COUNTY_REVIEW
    # another host is not locked
    ganyu = declaration(
        personas, host_id=personas.org_ganyu.pk, leader_id=personas.person_ganyu.pk, region_id="320707"
    )
    assert services.carrier_declare(actor=personas.city, data=ganyu).status == S.COUNTY_REVIEW


def test_lockout_ends_after_the_configured_years(personas):
    RecognisedCarrierFactory(
        host=personas.org_haizhou,
        recognised_on=datetime.date(2020, 3, 1),
        status=S.REVOKED,
        revoked_on=datetime.date(2023, 11, 1),
    )
    assert services.carrier_declare(actor=personas.org_operator, data=declaration(personas))  # 3 years passed
    Carrier.objects.filter(status=S.COUNTY_REVIEW).delete()
    CarrierRule.objects.filter(carrier_type_id="hs_training_base").update(lockout_years=5)
    with pytest.raises(ValidationError, match="2028-11-01前不得再次申报"):
        services.carrier_declare(actor=personas.org_operator, data=declaration(personas))


def test_revocation_needs_a_reason(personas):
    carrier = RecognisedCarrierFactory(host=personas.org_haizhou)
    with pytest.raises(ValidationError) as exc:
        services.carrier_revoke(actor=personas.city, carrier=carrier, reason=" ")
    assert exc.value.message_dict["reason"] == ["请填写撤销原因"]
    assert Carrier.objects.get(pk=carrier.pk).status == S.RECOGNISED


# --- annual assessment and the 优秀 share ---------------------------------------------------


def test_excellent_is_capped_at_the_types_share_per_year(personas):
    carriers = RecognisedCarrierFactory.create_batch(10, carrier_type_id="skill_master_studio")
    RecognisedCarrierFactory(carrier_type_id="hs_training_base")  # another type: not in the base
    for carrier in carriers[:3]:
        services.carrier_assess(
            actor=personas.city, carrier=carrier, year=2026, result=AssessmentResult.EXCELLENT
        )
    with pytest.raises(ValidationError) as exc:
        services.carrier_assess(
            actor=personas.city, carrier=carriers[3], year=2026, result=AssessmentResult.EXCELLENT
        )
    assert exc.value.message_dict["result"] == [
        "2026年度技能大师工作室的优秀名额已满：参加考核10家，优秀不超过30%即3家"
    ]
    assert not CarrierAssessment.objects.filter(carrier=carriers[3]).exists()
    services.carrier_assess(
        actor=personas.city, carrier=carriers[3], year=2026, result=AssessmentResult.QUALIFIED
    )
    services.carrier_assess(
        actor=personas.city, carrier=carriers[4], year=2026, result=AssessmentResult.FAILED
    )
    # the share is data: raised to 40%, a fourth 2026 place opens
    CarrierRule.objects.filter(carrier_type_id="skill_master_studio").update(excellent_share=Decimal("0.40"))
    services.carrier_assess(
        actor=personas.city, carrier=carriers[5], year=2026, result=AssessmentResult.EXCELLENT
    )
    excellent = CarrierAssessment.objects.filter(year=2026, result="excellent")
    assert excellent.count() == 4
    # another year has its own base and places: 4 carriers recognised in 2024 → 1 place in 2025
    older = RecognisedCarrierFactory.create_batch(
        4, carrier_type_id="skill_master_studio", recognised_on=datetime.date(2024, 5, 1)
    )
    services.carrier_assess(
        actor=personas.city, carrier=older[0], year=2025, result=AssessmentResult.EXCELLENT
    )
    with pytest.raises(ValidationError, match="参加考核4家"):
        services.carrier_assess(
            actor=personas.city, carrier=older[1], year=2025, result=AssessmentResult.EXCELLENT
        )


def test_one_assessment_per_carrier_and_year_within_its_recognised_years(personas):
    carrier = RecognisedCarrierFactory(recognised_on=datetime.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="考核年度应在 2026 至"):
        services.carrier_assess(actor=personas.city, carrier=carrier, year=2025, result="qualified")
    services.carrier_assess(actor=personas.city, carrier=carrier, year=2026, result="qualified")
    with pytest.raises(ValidationError, match="2026年度已经考核过"):
        services.carrier_assess(actor=personas.city, carrier=carrier, year=2026, result="failed")


# --- upgrades ---------------------------------------------------------------------------------


def test_upgrade_keeps_first_recognition_and_history(personas):
    carrier = RecognisedCarrierFactory(recognised_on=datetime.date(2026, 2, 1))
    services.carrier_upgrade(
        actor=personas.city,
        carrier=carrier,
        level="province",
        on=datetime.date(2026, 9, 1),
        grant_amount=Decimal("500000"),
    )
    carrier.refresh_from_db()
    assert (carrier.level, carrier.recognised_on) == ("province", datetime.date(2026, 9, 1))
    assert carrier.first_recognised_on == carrier.city_level_since == datetime.date(2026, 2, 1)
    event = Event.objects.get(carrier=carrier, action="upgrade")
    assert event.note == "市级 → 省级"
    with pytest.raises(ValidationError, match="须高于现有级别"):
        services.carrier_upgrade(
            actor=personas.city, carrier=carrier, level="city", on=datetime.date(2026, 10, 1)
        )
    with pytest.raises(ValidationError, match="不能早于2026-09-01"):
        services.carrier_upgrade(
            actor=personas.city, carrier=carrier, level="national", on=datetime.date(2026, 8, 1)
        )


def test_county_level_carrier_upgraded_to_city_is_new_at_city_level(personas):
    station = RecognisedCarrierFactory(
        carrier_type_id="rural_craftsman_station", level="county", recognised_on=datetime.date(2025, 4, 1)
    )
    assert station.city_level_since is None
    services.carrier_upgrade(actor=personas.city, carrier=station, level="city", on=datetime.date(2026, 4, 1))
    station.refresh_from_db()
    assert station.first_recognised_on == datetime.date(2025, 4, 1)
    assert station.city_level_since == datetime.date(2026, 4, 1)


# --- deadlines and the to-do list ------------------------------------------------------------


def test_overdue_steps_are_shown_to_whoever_must_act(personas):
    today = datetime.date(2026, 11, 24)
    late = CarrierFactory(host=personas.org_haizhou, due_on=datetime.date(2026, 11, 1))
    on_time = CarrierFactory(host=personas.org_haizhou, due_on=datetime.date(2026, 12, 1))
    elsewhere = CarrierFactory(host=personas.org_ganyu, due_on=datetime.date(2026, 11, 1))
    returned = CarrierFactory(
        host=personas.org_haizhou,
        status=S.RETURNED,
        returned_from=S.COUNTY_REVIEW,
        due_on=datetime.date(2026, 11, 20),
    )
    at_city = CarrierFactory(
        host=personas.org_ganyu, status=S.CITY_REVIEW, due_on=datetime.date(2026, 12, 10)
    )

    county = carrier_todo(user=personas.haizhou, today=today)
    assert [(i.obj, i.task, i.overdue_days) for i in county] == [
        (late, "县区初审", 23),
        (on_time, "县区初审", 0),
    ]
    assert [i.obj for i in carrier_todo(user=personas.ganyu, today=today)] == [elsewhere]
    org = carrier_todo(user=personas.org_operator, today=today)
    assert [(i.obj, i.task, i.overdue) for i in org] == [(returned, "补正后重新提交", True)]
    assert [i.obj for i in carrier_todo(user=personas.city, today=today)] == [at_city]
    assert carrier_todo(user=personas.department, today=today) == []


def test_last_years_assessment_is_due_within_the_rules_days(personas):
    carrier = RecognisedCarrierFactory(recognised_on=datetime.date(2025, 5, 1))
    RecognisedCarrierFactory(recognised_on=datetime.date(2026, 5, 1))  # nothing to assess for 2025
    (item,) = carrier_todo(user=personas.city, today=datetime.date(2026, 4, 2))
    assert (item.obj, item.task, item.due_on) == (carrier, "2025年度考核", datetime.date(2026, 3, 31))
    assert item.overdue_days == 2
    CarrierAssessment.objects.create(
        carrier=carrier, year=2025, result="qualified", assessed_by=personas.city
    )
    assert carrier_todo(user=personas.city, today=datetime.date(2026, 4, 2)) == []
