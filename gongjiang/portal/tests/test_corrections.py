"""Corrections (申请更正) on the one workflow mechanism: submitted by the talent, handled by the
county operator of the person's region, applied through the talents services and audited as made
on the request; the transition table written out literally."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.scope import OutOfScope
from gongjiang.portal.models import Correction
from gongjiang.portal.services import CorrectionData, correction_submit, correction_take
from gongjiang.portal.workflows import CORRECTION_WORKFLOW
from gongjiang.talents.models import Certificate
from gongjiang.workflow.selectors import todo_for

pytestmark = pytest.mark.django_db


def _pdf(name="证书.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 scan", content_type="application/pdf")


def _name_fix(personas, value="海州人员甲"):
    return correction_submit(
        actor=personas.talent, data=CorrectionData(kind="person", field="name", proposed_value=value)
    )


def test_transition_table_is_as_declared():
    table = {
        (t.name, tuple(t.sources), t.target, t.permission, t.review, bool(t.reason))
        for t in CORRECTION_WORKFLOW.transitions.values()
    }
    assert table == {
        ("accept", ("submitted",), "accepted", "review", True, False),
        ("return", ("submitted",), "returned", "review", True, True),
        ("reject", ("submitted",), "rejected", "review", True, True),
        ("resubmit", ("returned",), "__returned_from__", "change", False, False),
    }


def test_accepted_name_correction_is_applied_and_audited_on_the_request(personas):
    correction = _name_fix(personas)
    assert correction.status == "submitted" and correction.current_value == "海州人员"
    assert correction.due_on is not None  # the seeded 15-day deadline
    correction_take(actor=personas.haizhou, correction=correction, action="accept")
    personas.person_haizhou.refresh_from_db()
    assert personas.person_haizhou.name == "海州人员甲"
    update = AuditEntry.objects.get(action="person.update", object_id=str(personas.person_haizhou.pk))
    assert update.changes["request"] == "correction:%d" % correction.pk
    assert update.changes["name"] == ["海州人员", "海州人员甲"]
    assert update.user == personas.haizhou
    assert AuditEntry.objects.filter(action="correction.accept", object_id=str(correction.pk)).count() == 1


def test_certificate_field_correction_changes_the_certificate(personas):
    certificate = personas.person_haizhou.certificates.get()
    correction = correction_submit(
        actor=personas.talent,
        data=CorrectionData(
            kind="certificate", certificate_id=certificate.pk, field="issue_date", proposed_value="2025-05-06"
        ),
    )
    correction_take(actor=personas.haizhou, correction=correction, action="accept")
    certificate.refresh_from_db()
    assert certificate.issue_date == datetime.date(2025, 5, 6)
    audit = AuditEntry.objects.get(action="certificate.correct")
    assert audit.changes["request"] == "correction:%d" % correction.pk


def test_missing_certificate_needs_a_file_and_is_added_on_acceptance(personas):
    data = CorrectionData(
        kind="missing",
        cert_type_id="skill_level",
        level_id="GRADE2",
        cert_number="MISS-0001",
        issuer="连云港市职业技能鉴定指导中心",
        issue_date=datetime.date(2024, 6, 1),
        occupation_name="钳工",
    )
    with pytest.raises(ValidationError):
        correction_submit(actor=personas.talent, data=data)
    correction = correction_submit(actor=personas.talent, data=data, files=[_pdf()])
    correction_take(actor=personas.haizhou, correction=correction, action="accept")
    added = Certificate.objects.get(number="MISS-0001")
    assert added.person == personas.person_haizhou and added.level_id == "GRADE2"
    personas.person_haizhou.refresh_from_db()
    assert personas.person_haizhou.highest_level_id == "GRADE2"  # 技师: derived fields follow
    assert (
        AuditEntry.objects.get(action="certificate.create").changes["request"]
        == "correction:%d" % correction.pk
    )


def test_return_then_resubmit_goes_back_to_the_county_and_reject_needs_a_reason(personas):
    correction = _name_fix(personas)
    with pytest.raises(ValidationError):
        correction_take(actor=personas.haizhou, correction=correction, action="return", note="")
    correction_take(actor=personas.haizhou, correction=correction, action="return", note="请上传户口簿")
    assert [i.obj.pk for i in todo_for(user=personas.talent)] == [correction.pk]
    assert todo_for(user=personas.haizhou) == []
    correction_take(
        actor=personas.talent,
        correction=correction,
        action="resubmit",
        files=[_pdf("户口簿.pdf")],
        proposed_value="海州人员乙",
    )
    correction.refresh_from_db()
    assert correction.status == "submitted" and correction.proposed_value == "海州人员乙"
    with pytest.raises(ValidationError):
        correction_take(actor=personas.haizhou, correction=correction, action="reject", note="")
    correction_take(actor=personas.haizhou, correction=correction, action="reject", note="与户籍信息不符")
    correction.refresh_from_db()
    assert correction.status == "rejected" and correction.decision_note == "与户籍信息不符"
    personas.person_haizhou.refresh_from_db()
    assert personas.person_haizhou.name == "海州人员"


def test_county_todo_lists_its_region_only_and_other_county_cannot_act(personas):
    correction = _name_fix(personas)
    assert [i.obj.pk for i in todo_for(user=personas.haizhou)] == [correction.pk]
    assert todo_for(user=personas.ganyu) == []
    with pytest.raises(OutOfScope):
        correction_take(actor=personas.ganyu, correction=correction, action="accept")
    with pytest.raises(OutOfScope):
        correction_take(actor=personas.talent, correction=correction, action="accept")
    assert Correction.objects.get().status == "submitted"


def test_a_talent_cannot_ask_to_correct_someone_elses_certificate(personas):
    other = personas.person_ganyu.certificates.get()
    with pytest.raises(ValidationError):
        correction_submit(
            actor=personas.talent,
            data=CorrectionData(
                kind="certificate", certificate_id=other.pk, field="number", proposed_value="X1"
            ),
        )
    assert not Correction.objects.exists()


def test_county_sees_the_request_on_its_todo_page_and_accepts_it(client, personas):
    correction = _name_fix(personas)
    client.force_login(personas.haizhou)
    assert "海州人员的更正申请" in client.get("/todo/").content.decode()
    response = client.post("/corrections/%d/accept/" % correction.pk, {"accept-note": "已核对户籍"})
    assert response.status_code == 302
    client.force_login(personas.talent)
    page = client.get("/corrections/%d/" % correction.pk).content.decode()
    assert 'data-testid="correction-status">已更正<' in page
    assert "已核对户籍" in page
