"""Filings (备案): who files, the city's decisions along the lifecycle, and the rules of a filing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongjiang.accounts.choices import Role
from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.scope import OutOfScope
from gongjiang.accounts.tests.factories import UserFactory
from gongjiang.evaluation.choices import FilingStatus, InstitutionType
from gongjiang.evaluation.models import Filing
from gongjiang.evaluation.services import (
    FilingData,
    filing_create,
    filing_transition,
    filing_update,
)
from gongjiang.evaluation.tests.factories import FilingFactory, days_ago
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def data(org, **overrides) -> FilingData:
    values = {
        "organisation_id": org.pk,
        "institution_type": InstitutionType.EMPLOYER,
        "occupation_ids": ["6-18-02", "6-31-01"],
        "level_ids": ["GRADE3", "GRADE2"],
        "valid_from": days_ago(30),
        "valid_to": days_ago(-1000),
    }
    values.update(overrides)
    return FilingData(**values)


@pytest.fixture
def second_city(db):
    return UserFactory(username="city2", role=Role.CITY_ADMIN)


def test_organisation_operator_files_for_its_own_organisation_and_it_waits_for_the_city(personas):
    filing = filing_create(actor=personas.org_operator, data=data(personas.org_haizhou))
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.submitted_by == personas.org_operator
    assert set(filing.occupations.values_list("code", flat=True)) == {"6-18-02", "6-31-01"}
    assert AuditEntry.objects.filter(action="filing.create", object_id=str(filing.pk)).count() == 1


def test_organisation_operator_cannot_file_for_another_organisation(personas):
    with pytest.raises(OutOfScope):
        filing_create(actor=personas.org_operator, data=data(personas.org_ganyu))
    assert not Filing.objects.exists()


def test_region_operator_cannot_file(personas):
    with pytest.raises(OutOfScope):
        filing_create(actor=personas.haizhou, data=data(personas.org_haizhou))
    assert not Filing.objects.exists()


# The filing lifecycle as the policy describes it, written out here (never read from production):
# action -> (states it may start from, state it ends in).
S = FilingStatus
FILING_TABLE = {
    "approve": ({S.SUBMITTED}, S.APPROVED),
    "reject": ({S.SUBMITTED}, S.REJECTED),
    "suspend": ({S.APPROVED}, S.SUSPENDED),
    "resume": ({S.SUSPENDED}, S.APPROVED),
    "withdraw": ({S.APPROVED, S.SUSPENDED}, S.WITHDRAWN),
}
# (action, state it starts from, legal?)
EDGES = [
    (action, state, state in sources)
    for action, (sources, _target) in FILING_TABLE.items()
    for state in FilingStatus.values
]


@pytest.mark.parametrize(("action", "state", "legal"), EDGES)
def test_filing_lifecycle_takes_only_its_legal_edges(personas, action, state, legal):
    filing = FilingFactory(
        organisation=personas.org_haizhou, status=state, submitted_by=personas.org_operator
    )
    audits = AuditEntry.objects.count()
    if legal:
        filing_transition(actor=personas.city, filing=filing, action=action, reason="材料不全，请补充")
        filing.refresh_from_db()
        assert filing.status == FILING_TABLE[action][1]
        assert filing.decided_by == personas.city
        assert AuditEntry.objects.filter(action="filing.%s" % action).count() == 1
    else:
        with pytest.raises(ValidationError) as exc:
            filing_transition(actor=personas.city, filing=filing, action=action, reason="材料不全，请补充")
        assert "当前状态：%s" % FilingStatus(state).label in exc.value.messages[0]
        filing.refresh_from_db()
        assert filing.status == state
        assert filing.decided_by is None
        assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize("action", ["reject", "suspend", "withdraw"])
def test_a_decision_against_the_institution_needs_a_reason(personas, action):
    state = sorted(FILING_TABLE[action][0])[0]
    filing = FilingFactory(organisation=personas.org_haizhou, status=state)
    with pytest.raises(ValidationError) as exc:
        filing_transition(actor=personas.city, filing=filing, action=action, reason=" ")
    assert "原因" in exc.value.message_dict["reason"][0]
    filing.refresh_from_db()
    assert filing.status == state


def test_suspension_reason_is_kept_and_cleared_on_resume(personas):
    filing = FilingFactory(organisation=personas.org_haizhou)
    filing_transition(actor=personas.city, filing=filing, action="suspend", reason="质量督导发现违规")
    filing.refresh_from_db()
    assert (filing.status, filing.status_reason) == (FilingStatus.SUSPENDED, "质量督导发现违规")
    filing_transition(actor=personas.city, filing=filing, action="resume")
    filing.refresh_from_db()
    assert (filing.status, filing.status_reason) == (FilingStatus.APPROVED, "")


def test_the_one_who_files_does_not_approve(personas, second_city):
    filing = filing_create(actor=personas.city, data=data(personas.org_haizhou))
    with pytest.raises(ValidationError) as exc:
        filing_transition(actor=personas.city, filing=filing, action="approve")
    assert "提交人不能审核自己提交的备案" in exc.value.messages[0]
    filing_transition(actor=second_city, filing=filing, action="approve")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.APPROVED


def test_institution_cannot_decide_on_its_own_filing(personas):
    filing = filing_create(actor=personas.org_operator, data=data(personas.org_haizhou))
    with pytest.raises(OutOfScope):
        filing_transition(actor=personas.org_operator, filing=filing, action="approve")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED


def test_returned_filing_corrected_goes_back_to_the_city(personas):
    filing = filing_create(actor=personas.org_operator, data=data(personas.org_haizhou))
    filing_transition(actor=personas.city, filing=filing, action="reject", reason="等级范围过大")
    filing_update(
        actor=personas.org_operator, filing=filing, data=data(personas.org_haizhou, level_ids=["GRADE3"])
    )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.status_reason == ""
    assert list(filing.levels.values_list("code", flat=True)) == ["GRADE3"]


def test_approved_filing_cannot_be_edited(personas):
    filing = FilingFactory(organisation=personas.org_haizhou)
    with pytest.raises(ValidationError) as exc:
        filing_update(actor=personas.org_operator, filing=filing, data=data(personas.org_haizhou))
    assert "只有待审核或已退回的备案可以修改" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"institution_type": InstitutionType.SCHOOL},
            "institution_type",
            "院校类评价机构须为职业学校或技工学校",
        ),
        ({"occupation_ids": ["6"]}, "occupations", "是职业大类或中类"),
        ({"occupation_ids": []}, "occupations", "请至少选择一个可评价职业"),
        ({"level_ids": []}, "levels", "请至少选择一个可评价等级"),
        (
            {"institution_type": InstitutionType.SOCIAL, "level_ids": ["GRADE1", "SPECIAL"]},
            "levels",
            "特级技师由企业自主评聘，只能由用人单位备案",
        ),
        ({"valid_to": days_ago(60)}, "valid_to", "有效期止不能早于有效期起"),
    ],
)
def test_filing_rules_are_refused_at_their_field_in_chinese(personas, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        filing_create(actor=personas.city, data=data(personas.org_haizhou, **overrides))
    assert message in exc.value.message_dict[field][0]
    assert not Filing.objects.exists()


def test_department_cannot_be_an_evaluation_institution(personas):
    with pytest.raises(ValidationError) as exc:
        filing_create(actor=personas.city, data=data(personas.department_org))
    assert "政府部门不能备案为评价机构" in exc.value.message_dict["organisation"][0]


def test_school_may_file_as_school(personas):
    school = OrganisationFactory(kind=OrgKind.TECHNICAL_SCHOOL)
    filing = filing_create(actor=personas.city, data=data(school, institution_type=InstitutionType.SCHOOL))
    assert filing.institution_type == InstitutionType.SCHOOL


def test_overlapping_open_filing_of_the_same_type_is_refused_but_a_withdrawn_one_is_not(personas):
    old = FilingFactory(
        organisation=personas.org_haizhou,
        valid_from=days_ago(400),
        valid_to=days_ago(-400),
        status="approved",
    )
    with pytest.raises(ValidationError) as exc:
        filing_create(actor=personas.city, data=data(personas.org_haizhou))
    assert "有效期重叠" in exc.value.message_dict["valid_from"][0]
    old.status = FilingStatus.WITHDRAWN
    old.save()
    assert filing_create(actor=personas.city, data=data(personas.org_haizhou)).pk


def test_expired_filing_cannot_be_approved(personas):
    filing = FilingFactory(
        organisation=personas.org_haizhou,
        status=FilingStatus.SUBMITTED,
        valid_from=datetime.date(2020, 1, 1),
        valid_to=days_ago(1),
    )
    with pytest.raises(ValidationError) as exc:
        filing_transition(actor=personas.city, filing=filing, action="approve")
    assert "有效期已于" in exc.value.messages[0]
