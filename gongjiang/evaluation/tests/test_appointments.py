"""Enterprise appointment (评聘) of 特级技师 and 首席技师: own staff only, the prerequisite level as
the rules data says, recorded by the city as a certificate of its level; ended, it is revoked."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.scope import OutOfScope
from gongjiang.evaluation.choices import AppointmentStatus, FilingStatus, InstitutionType
from gongjiang.evaluation.models import Appointment, AppointmentRule
from gongjiang.evaluation.services import (
    AppointmentData,
    appointment_create,
    appointment_transition,
)
from gongjiang.evaluation.tests.factories import AppointmentFactory, FilingFactory, days_ago
from gongjiang.talents.models import Certificate
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(personas):
    return FilingFactory(organisation=personas.org_haizhou, levels=["GRADE1", "SPECIAL", "CHIEF"])


@pytest.fixture
def senior(personas):
    """A 高级技师 on the staff of the org operator's enterprise."""
    person = PersonFactory(employer=personas.org_haizhou, name="高师傅")
    CertificateFactory(person=person, level_id="GRADE1", issue_date=datetime.date(2019, 6, 1))
    return person


def appoint(person, level="SPECIAL", **overrides) -> AppointmentData:
    values = {
        "id_number": person.id_number,
        "level_id": level,
        "occupation_id": "6-18-02",
        "appointed_on": days_ago(3),
        "term_end": days_ago(-3 * 365),
    }
    values.update(overrides)
    return AppointmentData(**values)


def test_rules_are_data_seeded_by_the_migration():
    rules = {r.level_id: r.prerequisite_id for r in AppointmentRule.objects.all()}
    assert rules == {"SPECIAL": "GRADE1", "CHIEF": "SPECIAL"}


def test_enterprise_appoints_a_senior_technician_as_special_technician(personas, filing, senior):
    appointment = appointment_create(actor=personas.org_operator, data=appoint(senior))
    assert appointment.status == AppointmentStatus.SUBMITTED
    assert appointment.filing == filing
    assert appointment.certificate is None


@pytest.mark.parametrize(
    ("held", "level", "refused"),
    [
        ("GRADE2", "SPECIAL", "聘任特级技师须持有有效的高级技师（或更高等级）证书；%s目前最高有效等级为技师"),
        ("GRADE1", "SPECIAL", ""),
        ("GRADE1", "CHIEF", "聘任首席技师须持有有效的特级技师（或更高等级）证书"),
        ("SPECIAL", "CHIEF", ""),
    ],
)
def test_the_prerequisite_level_is_checked(personas, filing, held, level, refused):
    person = PersonFactory(employer=personas.org_haizhou)
    cert_type = "appointment" if held == "SPECIAL" else "skill_level"
    CertificateFactory(
        person=person, level_id=held, cert_type_id=cert_type, issue_date=datetime.date(2020, 1, 1)
    )
    if refused:
        with pytest.raises(ValidationError) as exc:
            appointment_create(actor=personas.org_operator, data=appoint(person, level))
        assert (refused % person.name if "%s" in refused else refused) in exc.value.message_dict["id_number"][
            0
        ]
        assert not Appointment.objects.exists()
    else:
        assert appointment_create(actor=personas.org_operator, data=appoint(person, level)).level_id == level


def test_the_prerequisite_follows_the_rules_data_not_code(personas, filing, senior):
    AppointmentRule.objects.filter(level_id="SPECIAL").update(prerequisite_id="SPECIAL")
    with pytest.raises(ValidationError) as exc:
        appointment_create(actor=personas.org_operator, data=appoint(senior))
    assert "须持有有效的特级技师" in exc.value.message_dict["id_number"][0]
    AppointmentRule.objects.filter(level_id="SPECIAL").update(prerequisite_id="GRADE2")
    assert appointment_create(actor=personas.org_operator, data=appoint(senior)).pk


def test_a_revoked_prerequisite_certificate_counts_for_nothing(personas, filing):
    person = PersonFactory(employer=personas.org_haizhou)
    CertificateFactory(person=person, level_id="GRADE1", status="revoked")
    with pytest.raises(ValidationError) as exc:
        appointment_create(actor=personas.org_operator, data=appoint(person))
    assert "须持有有效的高级技师" in exc.value.message_dict["id_number"][0]


def test_only_own_staff_may_be_appointed(personas, filing):
    outsider = PersonFactory(employer=personas.org_ganyu)
    CertificateFactory(person=outsider, level_id="GRADE1")
    with pytest.raises(ValidationError) as exc:
        appointment_create(actor=personas.org_operator, data=appoint(outsider))
    assert "只能聘任本单位职工" in exc.value.message_dict["id_number"][0]
    assert outsider.name not in exc.value.message_dict["id_number"][0]


def test_appointment_needs_an_employer_filing_covering_the_level(personas, senior):
    FilingFactory(organisation=personas.org_haizhou, levels=["GRADE1"])
    with pytest.raises(ValidationError) as exc:
        appointment_create(actor=personas.org_operator, data=appoint(senior))
    assert "等级“特级技师”不在本机构备案的评价范围内" in exc.value.message_dict["level"][0]
    assert not Appointment.objects.exists()


def test_a_social_institution_filing_does_not_allow_appointments(personas, senior):
    FilingFactory(
        organisation=personas.org_haizhou, institution_type=InstitutionType.SOCIAL, levels=["GRADE1"]
    )
    with pytest.raises(ValidationError) as exc:
        appointment_create(actor=personas.org_operator, data=appoint(senior))
    assert "没有有效的评价机构备案（用人单位）" in exc.value.messages[0]


def test_skill_level_is_not_an_appointment_level(personas, filing, senior):
    with pytest.raises(ValidationError) as exc:
        appointment_create(actor=personas.org_operator, data=appoint(senior, "GRADE1"))
    assert "该等级不通过评聘产生" in exc.value.message_dict["level"][0]


def test_the_same_level_is_not_appointed_twice(personas, filing, senior):
    appointment_create(actor=personas.org_operator, data=appoint(senior))
    with pytest.raises(ValidationError) as exc:
        appointment_create(actor=personas.org_operator, data=appoint(senior))
    assert "已有待备案或已备案的特级技师聘任" in exc.value.message_dict["level"][0]


def test_recording_issues_the_certificate_of_its_level(personas, filing, senior):
    appointment = appointment_create(actor=personas.org_operator, data=appoint(senior))
    appointment_transition(actor=personas.city, appointment=appointment, action="confirm")
    appointment.refresh_from_db()
    certificate = appointment.certificate
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert (certificate.cert_type_id, certificate.level_id, certificate.source) == (
        "appointment",
        "SPECIAL",
        "evaluation",
    )
    assert certificate.issuer == personas.org_haizhou.name
    assert certificate.issue_date == appointment.appointed_on
    assert certificate.valid_until == appointment.term_end
    year = appointment.appointed_on.year % 100
    assert certificate.number == "Y000032%06d%02dT000001" % (personas.org_haizhou.pk, year)
    senior.refresh_from_db()
    assert senior.highest_level_id == "SPECIAL"
    assert AuditEntry.objects.filter(action="appointment.confirm", object_id=str(appointment.pk)).count() == 1


def test_ending_the_appointment_revokes_its_certificate(personas, filing, senior):
    appointment = appointment_create(actor=personas.org_operator, data=appoint(senior))
    appointment_transition(actor=personas.city, appointment=appointment, action="confirm")
    appointment_transition(
        actor=personas.org_operator, appointment=appointment, action="end", reason="调离本单位"
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ENDED
    assert appointment.certificate.status == "revoked"
    assert appointment.certificate.revoked_reason == "解聘：调离本单位"
    senior.refresh_from_db()
    assert senior.highest_level_id == "GRADE1"


def test_prerequisite_is_checked_again_when_recorded(personas, filing, senior):
    appointment = appointment_create(actor=personas.org_operator, data=appoint(senior))
    Certificate.objects.filter(person=senior).update(status="revoked")
    with pytest.raises(ValidationError) as exc:
        appointment_transition(actor=personas.city, appointment=appointment, action="confirm")
    assert "须持有有效的高级技师" in exc.value.messages[0]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SUBMITTED
    assert not Certificate.objects.filter(cert_type_id="appointment").exists()


def test_recording_stops_when_the_filing_is_withdrawn(personas, filing, senior):
    appointment = appointment_create(actor=personas.org_operator, data=appoint(senior))
    filing.status = FilingStatus.WITHDRAWN
    filing.save()
    with pytest.raises(ValidationError):
        appointment_transition(actor=personas.city, appointment=appointment, action="confirm")
    assert not Certificate.objects.filter(cert_type_id="appointment").exists()


# The appointment lifecycle, written out here: action -> (who, states it starts from, end state).
A = AppointmentStatus
APPOINTMENT_TABLE = {
    "confirm": ("city", {A.SUBMITTED}, A.CONFIRMED),
    "return": ("city", {A.SUBMITTED}, A.RETURNED),
    "end": ("enterprise", {A.CONFIRMED}, A.ENDED),
}
EDGES = [
    (action, state, state in sources)
    for action, (_who, sources, _target) in APPOINTMENT_TABLE.items()
    for state in AppointmentStatus.values
]


@pytest.mark.parametrize(("action", "state", "legal"), EDGES)
def test_appointment_lifecycle_takes_only_its_legal_edges(personas, senior, action, state, legal):
    appointment = AppointmentFactory(
        filing=FilingFactory(organisation=personas.org_haizhou, levels=["SPECIAL"]),
        person=senior,
        status=state,
    )
    if state in (AppointmentStatus.CONFIRMED, AppointmentStatus.ENDED):
        appointment.certificate = CertificateFactory(
            person=senior, cert_type_id="appointment", level_id="SPECIAL"
        )
        appointment.save()
    actor = personas.city if APPOINTMENT_TABLE[action][0] == "city" else personas.org_operator
    audits = AuditEntry.objects.count()
    if legal:
        appointment_transition(actor=actor, appointment=appointment, action=action, reason="工作调动")
        appointment.refresh_from_db()
        assert appointment.status == APPOINTMENT_TABLE[action][2]
    else:
        with pytest.raises(ValidationError) as exc:
            appointment_transition(actor=actor, appointment=appointment, action=action, reason="工作调动")
        assert "当前状态：%s" % AppointmentStatus(state).label in exc.value.messages[0]
        appointment.refresh_from_db()
        assert appointment.status == state
        assert AuditEntry.objects.count() == audits


def test_enterprise_does_not_record_its_own_appointment(personas, filing, senior):
    appointment = appointment_create(actor=personas.org_operator, data=appoint(senior))
    with pytest.raises(OutOfScope):
        appointment_transition(actor=personas.org_operator, appointment=appointment, action="confirm")
    assert not Certificate.objects.filter(cert_type_id="appointment").exists()
