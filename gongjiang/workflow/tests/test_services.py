"""The one workflow mechanism: its declaration checks, one step (history + audit in the same
transaction), 补正 back to the step that returned it, attachments, and two people at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from gongjiang.accounts.models import AuditEntry
from gongjiang.accounts.scope import OutOfScope
from gongjiang.carriers import services as carrier_services
from gongjiang.carriers.choices import CarrierStatus
from gongjiang.carriers.tests.factories import CarrierFactory
from gongjiang.core.validators import reason_clean
from gongjiang.evaluation.choices import FilingStatus
from gongjiang.evaluation.models import Filing
from gongjiang.evaluation.services import filing_transition
from gongjiang.evaluation.tests.factories import FilingFactory
from gongjiang.jobs import files as stored_files
from gongjiang.workflow.base import Transition, Workflow
from gongjiang.workflow.models import Attachment, Event
from gongjiang.workflow.selectors import attachment_for, history

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def status_of(obj) -> str:
    return type(obj).objects.get(pk=obj.pk).status


def test_a_declaration_naming_an_unknown_state_is_refused_at_import_time():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(
            key="broken",
            label="坏流程",
            model=Filing,
            states=FilingStatus,
            submitter="submitted_by",
            transitions=[Transition("go", "前进", ("submitted",), "nowhere")],
        )


@pytest.mark.parametrize("text", ["", " ", "好"])
def test_the_one_reason_rule_wants_two_characters(text):
    with pytest.raises(ValidationError) as exc:
        reason_clean(text, what="退回原因")
    assert exc.value.message_dict["reason"] == ["请填写退回原因（至少2个字）"]
    assert reason_clean(" 补充 ", what="退回原因") == "补充"


def test_a_step_writes_one_history_row_and_one_audit_entry(personas):
    carrier = CarrierFactory(host=personas.org_haizhou, declared_by=personas.org_operator)
    carrier_services.carrier_return(actor=personas.haizhou, carrier=carrier, note="请补充近三年培训台账")
    (event,) = history(carrier)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "return",
        "county_review",
        "returned",
        personas.haizhou,
    )
    assert (event.action_label, event.get_to_status_display(), event.note) == (
        "退回补正",
        "退回补正",
        "请补充近三年培训台账",
    )
    audit = AuditEntry.objects.get(action="carrier.return", object_id=str(carrier.pk))
    assert audit.changes["status"] == ["county_review", "returned"]


def test_a_refused_step_writes_nothing(personas):
    carrier = CarrierFactory(host=personas.org_haizhou, status=CarrierStatus.RETURNED)
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="当前状态：退回补正"):
        carrier_services.carrier_county_pass(actor=personas.haizhou, carrier=carrier)
    with pytest.raises(OutOfScope):
        carrier_services.carrier_resubmit(actor=personas.ganyu, carrier=carrier)
    assert (Event.objects.count(), AuditEntry.objects.count()) == (0, audits)
    assert status_of(carrier) == CarrierStatus.RETURNED


def test_a_return_then_resubmission_goes_back_to_the_returning_step_with_files(personas):
    carrier = CarrierFactory(
        host=personas.org_haizhou, status=CarrierStatus.CITY_REVIEW, declared_by=personas.org_operator
    )
    carrier_services.carrier_return(actor=personas.city, carrier=carrier, note="缺近三年培训台账")
    carrier_services.carrier_resubmit(
        actor=personas.org_operator, carrier=carrier, note="已补充", files=[upload("近三年培训台账.pdf", PDF)]
    )
    carrier.refresh_from_db()
    assert (carrier.status, carrier.returned_from) == (CarrierStatus.CITY_REVIEW, "")
    resubmitted = history(carrier)[-1]
    (attachment,) = resubmitted.files.all()
    assert (attachment.name, attachment.size, attachment.mime) == (
        "近三年培训台账.pdf",
        len(PDF),
        "application/pdf",
    )
    on_disk = (stored_files.job_dir() / attachment.stored).read_bytes()
    assert PDF not in on_disk  # encrypted at rest
    assert b"".join(stored_files.iter_decrypted(attachment.stored)) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("台账.exe", b"MZ\x90\x00", "类型不支持"),
        ("台账.pdf", PNG, "内容与其扩展名（.pdf）不符"),
        ("照片.png", PDF, "内容与其扩展名（.png）不符"),
        ("空.pdf", b"", "空文件"),
        ("大.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "超过了 20 MB 的上限"),
    ],
)
def test_a_bad_attachment_refuses_the_whole_step(personas, name, content, message):
    carrier = CarrierFactory(host=personas.org_haizhou, status=CarrierStatus.RETURNED)
    with pytest.raises(ValidationError) as exc:
        carrier_services.carrier_resubmit(
            actor=personas.org_operator, carrier=carrier, files=[upload(name, content)]
        )
    assert message in exc.value.messages[0]
    assert name.split(".")[0] in exc.value.messages[0]  # says which file
    assert (status_of(carrier), Attachment.objects.count(), Event.objects.count()) == (
        CarrierStatus.RETURNED,
        0,
        0,
    )


def test_attachments_are_read_within_the_scope_of_their_object(personas):
    carrier = CarrierFactory(host=personas.org_haizhou, status=CarrierStatus.RETURNED)
    carrier_services.carrier_resubmit(
        actor=personas.org_operator, carrier=carrier, files=[upload("场地照片.png", PNG)]
    )
    pk = Attachment.objects.get().pk
    for user in (personas.city, personas.haizhou, personas.org_operator, personas.department):
        assert attachment_for(user=user, pk=pk) is not None
    for user in (personas.ganyu, personas.talent, personas.auditor):
        assert attachment_for(user=user, pk=pk) is None


def test_attachment_download_is_audited_and_404_outside_scope(personas, login):
    carrier = CarrierFactory(host=personas.org_haizhou, status=CarrierStatus.RETURNED)
    carrier_services.carrier_resubmit(
        actor=personas.org_operator, carrier=carrier, files=[upload("表.pdf", PDF)]
    )
    pk = Attachment.objects.get().pk
    response = login(personas.haizhou).get("/todo/files/%d/" % pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "filename*=utf-8''%E8%A1%A8.pdf" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="attachment.download", user=personas.haizhou).count() == 1
    assert login(personas.ganyu).get("/todo/files/%d/" % pk).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_one_wins_and_the_other_is_told(refdata):
    from gongjiang.accounts.choices import Role
    from gongjiang.accounts.tests.factories import UserFactory
    from gongjiang.common.testing import build_personas

    personas = build_personas()
    second = UserFactory(username="city2", role=Role.CITY_ADMIN)
    filing = FilingFactory(
        organisation=personas.org_haizhou, status=FilingStatus.SUBMITTED, submitted_by=personas.org_operator
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user):
        try:
            barrier.wait()
            filing_transition(actor=user, filing=filing, action="approve")
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (personas.city, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["ok", "只有待审核的备案可以审核通过（当前状态：已备案）"]
    assert Event.objects.filter(filing=filing, action="approve").count() == 1
    assert AuditEntry.objects.filter(action="filing.approve", object_id=str(filing.pk)).count() == 1
    assert Filing.objects.get(pk=filing.pk).status == FilingStatus.APPROVED
