"""Evaluation batches (认定批次): planning within the filing, candidates, results, the city's review,
and publication that turns passes into certificates in one transaction."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.scope import OutOfScope
from gongjiang.common.demo import make_resident_id
from gongjiang.evaluation.choices import BatchStatus, FilingStatus, InstitutionType
from gongjiang.evaluation.models import Batch, Candidate, CertificateSerial
from gongjiang.evaluation.services import (
    BatchData,
    batch_create,
    batch_results_record,
    batch_transition,
    batch_update,
    candidate_add,
    candidate_remove,
)
from gongjiang.evaluation.tests.factories import BatchFactory, CandidateFactory, FilingFactory, days_ago
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(personas):
    """The org operator's organisation, filed as an employer for 机械热加工人员 at 高级工 … 高级技师."""
    return FilingFactory(organisation=personas.org_haizhou)


def plan(**overrides) -> BatchData:
    values = {
        "name": "焊工技师认定",
        "occupation_id": "6-18-02",
        "level_id": "GRADE2",
        "exam_date": days_ago(-20),
    }
    values.update(overrides)
    return BatchData(**values)


# --- planning within the filing --------------------------------------------------------------


def test_institution_plans_a_batch_within_its_filing(personas, filing):
    batch = batch_create(actor=personas.org_operator, data=plan())
    assert batch.filing == filing
    assert batch.status == BatchStatus.PLANNED
    assert batch.code == "PC%06d" % batch.pk
    assert AuditEntry.objects.filter(action="batch.create", object_id=str(batch.pk)).count() == 1


def test_an_occupation_below_a_filed_group_is_within_scope(personas):
    from gongjiang.core.models import Occupation

    Occupation.objects.create(code="6-18-02-04", name="焊工", kind="occupation", parent_id="6-18-02")
    FilingFactory(organisation=personas.org_haizhou)
    batch = batch_create(actor=personas.org_operator, data=plan(occupation_id="6-18-02-04"))
    assert batch.occupation_id == "6-18-02-04"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occupation_id": "6-31-01"}, "occupation", "职业“机械设备修理人员”不在本机构备案的评价范围内"),
        (
            {"level_id": "GRADE5"},
            "level",
            "等级“初级工”不在本机构备案的评价范围内（备案等级：高级工、技师、高级技师）",
        ),
        ({"level_id": "SPECIAL"}, "level", "特级技师通过企业评聘产生"),
    ],
)
def test_planning_outside_the_filing_is_refused_in_chinese(personas, filing, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        batch_create(actor=personas.org_operator, data=plan(**overrides))
    assert message in exc.value.message_dict[field][0]
    assert not Batch.objects.exists()


@pytest.mark.parametrize(
    ("filing_kwargs", "exam_in_days", "message"),
    [
        ({"status": FilingStatus.SUBMITTED}, 20, "没有有效的评价机构备案"),
        ({"status": FilingStatus.SUSPENDED}, 20, "备案已被暂停"),
        ({"status": FilingStatus.WITHDRAWN}, 20, "没有有效的评价机构备案"),
        ({}, 5000, "没有有效的评价机构备案"),  # exam after the filing's period
    ],
)
def test_no_filing_in_force_on_the_exam_date_means_no_batch(personas, filing_kwargs, exam_in_days, message):
    FilingFactory(organisation=personas.org_haizhou, **filing_kwargs)
    with pytest.raises(ValidationError) as exc:
        batch_create(actor=personas.org_operator, data=plan(exam_date=days_ago(-exam_in_days)))
    assert message in exc.value.messages[0]
    assert not Batch.objects.exists()


def test_another_organisations_filing_does_not_help(personas):
    FilingFactory(organisation=personas.org_ganyu)
    with pytest.raises(ValidationError):
        batch_create(actor=personas.org_operator, data=plan())


def test_city_and_county_do_not_plan_batches(personas, filing):
    for actor in (personas.city, personas.haizhou):
        with pytest.raises(ValidationError):
            batch_create(actor=actor, data=plan())
    assert not Batch.objects.exists()


def test_replanning_is_checked_against_the_filing_too(personas, filing):
    batch = batch_create(actor=personas.org_operator, data=plan())
    with pytest.raises(ValidationError):
        batch_update(actor=personas.org_operator, batch=batch, data=plan(level_id="GRADE4"))
    batch.refresh_from_db()
    assert batch.level_id == "GRADE2"
    batch_update(actor=personas.org_operator, batch=batch, data=plan(level_id="GRADE1", name="高级技师认定"))
    batch.refresh_from_db()
    assert (batch.level_id, batch.name) == ("GRADE1", "高级技师认定")


# --- candidates ---------------------------------------------------------------------------


def test_candidate_is_added_by_id_number_from_the_talent_database(personas, filing):
    batch = BatchFactory(filing=filing)
    person = personas.person_haizhou
    candidate = candidate_add(actor=personas.org_operator, batch=batch, id_number=person.id_number.lower())
    assert candidate.person == person
    with pytest.raises(ValidationError) as exc:
        candidate_add(actor=personas.org_operator, batch=batch, id_number=person.id_number)
    assert "已在本批次考生名单中" in exc.value.message_dict["id_number"][0]


def test_unknown_or_invalid_id_number_is_refused_without_showing_it(personas, filing):
    batch = BatchFactory(filing=filing)
    unknown = make_resident_id(random.Random(99))
    with pytest.raises(ValidationError) as exc:
        candidate_add(actor=personas.org_operator, batch=batch, id_number=unknown)
    message = exc.value.message_dict["id_number"][0]
    assert "人才库中没有身份证号为" in message
    assert unknown not in message
    with pytest.raises(ValidationError) as exc:
        candidate_add(actor=personas.org_operator, batch=batch, id_number="32070619900101123")
    assert "身份证号应为18位" in exc.value.message_dict["id_number"][0]
    assert not Candidate.objects.exists()


def test_employer_evaluates_only_its_own_staff_but_a_social_institution_anyone(personas, filing):
    batch = BatchFactory(filing=filing)
    with pytest.raises(ValidationError) as exc:
        candidate_add(actor=personas.org_operator, batch=batch, id_number=personas.person_ganyu.id_number)
    assert "用人单位评价只面向本单位职工" in exc.value.message_dict["id_number"][0]
    filing.institution_type = InstitutionType.SOCIAL
    filing.save()
    assert candidate_add(actor=personas.org_operator, batch=batch, id_number=personas.person_ganyu.id_number)


def test_candidates_change_only_while_planned(personas, filing):
    batch = BatchFactory(filing=filing, status=BatchStatus.REPORTED)
    candidate = CandidateFactory(batch=batch)
    with pytest.raises(ValidationError):
        candidate_add(actor=personas.org_operator, batch=batch, id_number=personas.person_haizhou.id_number)
    with pytest.raises(ValidationError):
        candidate_remove(actor=personas.org_operator, candidate=candidate)
    assert list(batch.candidates.all()) == [candidate]


def test_another_institution_cannot_touch_the_batch(personas):
    batch = BatchFactory(filing=FilingFactory(organisation=personas.org_ganyu, institution_type="social"))
    with pytest.raises(OutOfScope):
        candidate_add(actor=personas.org_operator, batch=batch, id_number=personas.person_haizhou.id_number)
    assert not batch.candidates.exists()


# --- results --------------------------------------------------------------------------------


def test_results_are_recorded_after_the_exam(personas, filing):
    batch = BatchFactory(filing=filing)
    a, b = CandidateFactory(batch=batch), CandidateFactory(batch=batch)
    changed = batch_results_record(
        actor=personas.org_operator,
        batch=batch,
        results={a.pk: (True, Decimal("88.5")), b.pk: (False, Decimal(52))},
    )
    assert changed == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.passed, a.score, b.passed, b.score) == (True, Decimal("88.5"), False, Decimal(52))
    assert (
        batch_results_record(
            actor=personas.org_operator, batch=batch, results={a.pk: (True, Decimal("88.5"))}
        )
        == 0
    )


def test_results_before_the_exam_or_out_of_range_are_refused(personas, filing):
    early = BatchFactory(filing=filing, exam_date=days_ago(-3))
    candidate = CandidateFactory(batch=early)
    with pytest.raises(ValidationError) as exc:
        batch_results_record(actor=personas.org_operator, batch=early, results={candidate.pk: (True, None)})
    assert "还没到" in exc.value.messages[0]
    batch = BatchFactory(filing=filing)
    other = CandidateFactory(batch=batch)
    with pytest.raises(ValidationError) as exc:
        batch_results_record(
            actor=personas.org_operator, batch=batch, results={other.pk: (True, Decimal(120))}
        )
    assert "成绩应在0到100之间" in exc.value.messages[0]
    other.refresh_from_db()
    assert other.passed is None


# --- the batch lifecycle ------------------------------------------------------------------


# The batch lifecycle, written out here: action -> (who takes it, states it starts from, end state).
B = BatchStatus
BATCH_TABLE = {
    "report": ("institution", {B.PLANNED, B.RETURNED}, B.REPORTED),
    "return": ("city", {B.REPORTED}, B.RETURNED),
    "publish": ("city", {B.REPORTED}, B.PUBLISHED),
    "cancel": ("institution", {B.PLANNED}, B.CANCELLED),
}


def _actor(personas, action):
    return personas.city if BATCH_TABLE[action][0] == "city" else personas.org_operator


EDGES = [
    (action, state, state in sources)
    for action, (_who, sources, _target) in BATCH_TABLE.items()
    for state in BatchStatus.values
]


@pytest.mark.parametrize(("action", "state", "legal"), EDGES)
def test_batch_lifecycle_takes_only_its_legal_edges(personas, filing, action, state, legal):
    batch = BatchFactory(filing=filing, status=state)
    CandidateFactory(batch=batch, passed=False, score=Decimal(40))
    before = (Certificate.objects.count(), AuditEntry.objects.count())
    if legal:
        batch_transition(actor=_actor(personas, action), batch=batch, action=action, reason="请补充考评记录")
        batch.refresh_from_db()
        assert batch.status == BATCH_TABLE[action][2]
        assert AuditEntry.objects.filter(action="batch.%s" % action, object_id=str(batch.pk)).count() == 1
    else:
        with pytest.raises(ValidationError) as exc:
            batch_transition(
                actor=_actor(personas, action), batch=batch, action=action, reason="请补充考评记录"
            )
        assert "当前状态：%s" % BatchStatus(state).label in exc.value.messages[0]
        batch.refresh_from_db()
        assert batch.status == state
        assert (Certificate.objects.count(), AuditEntry.objects.count()) == before


def test_the_institution_does_not_publish_and_the_city_does_not_report(personas, filing):
    reported = BatchFactory(filing=filing, status=BatchStatus.REPORTED)
    CandidateFactory(batch=reported, passed=True)
    with pytest.raises(OutOfScope):
        batch_transition(actor=personas.org_operator, batch=reported, action="publish")
    planned = BatchFactory(filing=filing)
    CandidateFactory(batch=planned, passed=True)
    with pytest.raises(OutOfScope):
        batch_transition(actor=personas.city, batch=planned, action="report")
    with pytest.raises(OutOfScope):
        batch_transition(actor=personas.haizhou, batch=reported, action="publish")
    assert not Certificate.objects.filter(source="evaluation").exists()


def test_report_needs_candidates_with_every_result_after_the_exam(personas, filing):
    batch = BatchFactory(filing=filing)
    with pytest.raises(ValidationError) as exc:
        batch_transition(actor=personas.org_operator, batch=batch, action="report")
    assert "还没有考生" in exc.value.messages[0]
    CandidateFactory(batch=batch, passed=True)
    CandidateFactory(batch=batch)
    with pytest.raises(ValidationError) as exc:
        batch_transition(actor=personas.org_operator, batch=batch, action="report")
    assert "还有1名考生没有录入考核结果" in exc.value.messages[0]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PLANNED


def test_returned_results_are_corrected_and_reported_again(personas, filing):
    batch = BatchFactory(filing=filing)
    candidate = CandidateFactory(batch=batch, passed=False, score=Decimal(59))
    batch_transition(actor=personas.org_operator, batch=batch, action="report")
    batch_transition(actor=personas.city, batch=batch, action="return", reason="第1名考生成绩核算有误")
    batch.refresh_from_db()
    assert (batch.status, batch.status_reason) == (BatchStatus.RETURNED, "第1名考生成绩核算有误")
    batch_results_record(
        actor=personas.org_operator, batch=batch, results={candidate.pk: (True, Decimal(61))}
    )
    batch_transition(actor=personas.org_operator, batch=batch, action="report")
    batch.refresh_from_db()
    assert (batch.status, batch.status_reason) == (BatchStatus.REPORTED, "")


# --- publication --------------------------------------------------------------------------


@pytest.fixture
def reported(personas, filing):
    """A reported 技师 batch: two passes (one of them the talent persona), one fail."""
    batch = BatchFactory(filing=filing, status=BatchStatus.REPORTED)
    first = CandidateFactory(batch=batch, person=personas.person_haizhou, passed=True, score=Decimal(90))
    second = CandidateFactory(batch=batch, passed=True, score=Decimal(75))
    failed = CandidateFactory(batch=batch, passed=False, score=Decimal(40))
    return batch, first, second, failed


def test_publishing_creates_one_certificate_per_pass_and_refreshes_the_profile(personas, reported):
    batch, first, second, failed = reported
    person = personas.person_haizhou
    assert (person.highest_level_id, person.is_high_skilled) == ("GRADE3", True)
    newcomer = second.person
    assert (newcomer.highest_level_id, newcomer.is_high_skilled, newcomer.high_skilled_since) == (
        None,
        False,
        None,
    )

    batch_transition(actor=personas.city, batch=batch, action="publish")

    today = datetime.date.today()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PUBLISHED
    assert batch.reviewed_by == personas.city
    certificates = Certificate.objects.filter(source="evaluation").order_by("number")
    assert certificates.count() == 2
    prefix = "Y000032%06d%02d2" % (personas.org_haizhou.pk, today.year % 100)
    assert [c.number for c in certificates] == [prefix + "000001", prefix + "000002"]
    assert all(len(c.number) == 22 and c.number[15] == "2" for c in certificates)
    first.refresh_from_db()
    assert first.certificate.person == person
    assert first.certificate.issuer == personas.org_haizhou.name
    assert (first.certificate.level_id, first.certificate.cert_type_id) == ("GRADE2", "skill_level")
    assert first.certificate.occupation_name == "机械热加工人员"
    failed.refresh_from_db()
    assert failed.certificate is None
    person.refresh_from_db()
    assert person.highest_level_id == "GRADE2"
    newcomer.refresh_from_db()
    assert (newcomer.highest_level_id, newcomer.is_high_skilled, newcomer.high_skilled_since) == (
        "GRADE2",
        True,
        today,
    )
    assert Person.objects.filter(is_high_skilled=True, high_skilled_since=today).count() == 1
    assert AuditEntry.objects.filter(action="certificate.create").count() == 2
    publish = AuditEntry.objects.get(action="batch.publish")
    assert publish.changes["certificates"] == 2


def test_numbers_continue_across_batches_of_the_same_institution_year_and_level(personas, filing, reported):
    batch, *_ = reported
    batch_transition(actor=personas.city, batch=batch, action="publish")
    later = BatchFactory(filing=filing, status=BatchStatus.REPORTED)
    CandidateFactory(batch=later, passed=True)
    batch_transition(actor=personas.city, batch=later, action="publish")
    numbers = sorted(Certificate.objects.filter(source="evaluation").values_list("number", flat=True))
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]


def test_a_failure_half_way_through_publishing_writes_nothing(personas, reported):
    batch, first, second, _failed = reported
    today = datetime.date.today()
    taken = "Y000032%06d%02d2000002" % (personas.org_haizhou.pk, today.year % 100)
    # The second certificate's number was already registered for this issuer (an old import).
    planted = CertificateFactory(
        person=PersonFactory(), number=taken, issuer=personas.org_haizhou.name, level_id="GRADE4"
    )
    certificates, audits = Certificate.objects.count(), AuditEntry.objects.count()
    person = personas.person_haizhou

    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as exc:
        batch_transition(actor=personas.city, batch=batch, action="publish")

    # It did fail half-way: the first certificate had been inserted before the second was refused.
    inserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "talents_certificate"')]
    assert len(inserts) == 1
    message = exc.value.messages[0]
    assert "发证失败" in message and taken in message and "没有写入任何证书" in message
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REPORTED
    assert batch.published_at is None
    assert Certificate.objects.count() == certificates
    assert list(Certificate.objects.exclude(pk=planted.pk).filter(issuer=personas.org_haizhou.name)) == []
    assert AuditEntry.objects.count() == audits
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.certificate is None and second.certificate is None
    person.refresh_from_db()
    assert person.highest_level_id == "GRADE3"
    assert not CertificateSerial.objects.exists()  # the serials taken were given back


def test_publication_stops_when_the_filing_was_suspended(personas, filing, reported):
    batch, *_ = reported
    filing.status = FilingStatus.SUSPENDED
    filing.save()
    with pytest.raises(ValidationError) as exc:
        batch_transition(actor=personas.city, batch=batch, action="publish")
    assert "评价机构备案已暂停" in exc.value.messages[0]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REPORTED
    assert not Certificate.objects.filter(source="evaluation").exists()


def test_social_institution_numbers_start_with_s(personas):
    filing = FilingFactory(organisation=personas.org_ganyu, institution_type=InstitutionType.SOCIAL)
    batch = BatchFactory(filing=filing, status=BatchStatus.REPORTED, level_id="GRADE3")
    CandidateFactory(batch=batch, passed=True)
    batch_transition(actor=personas.city, batch=batch, action="publish")
    (number,) = Certificate.objects.filter(source="evaluation").values_list("number", flat=True)
    assert number.startswith("S000032") and number[15] == "3"
