"""The bank file of a batch and the bank's answer: full accounts only for the paying role and
audited; a result file marks lines paid or failed, and a hostile or malformed one changes nothing
and says why."""

import datetime
import io
import json

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.accounts.models import AuditEntry
from gongjiang.benefits.models import Entitlement, PaymentLine
from gongjiang.benefits.services import (
    entitlement_confirm,
    entitlement_step,
    entitlements_grant,
    payment_batch_create,
    policies_load,
)
from gongjiang.jobs import files
from gongjiang.jobs.tests.helpers import run, write_csv
from gongjiang.talents.tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db
POLICY = {
    "code": "HZ-ALLOWANCE",
    "name": "海州区津贴",
    "mode": "automatic",
    "effective": ["2024-05-01", None],
    "regions": ["320706"],
    "levels": {"GRADE3": 5000},
    "certificate_types": ["skill_level"],
    "instalments": 2,
}
HEADERS = ["明细编号", "金额", "结果", "失败原因"]


def error_reasons(job) -> str:
    """Every reason of the job's error report (row, column, value, reason)."""
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    return " | ".join(str(row[-1]) for row in rows)


@pytest.fixture
def batch(personas):
    policies_load(actor=None, text=json.dumps([POLICY], ensure_ascii=False))
    CertificateFactory(
        person=personas.person_haizhou, level_id="GRADE3", issue_date=datetime.date(2025, 6, 1)
    )
    entitlements_grant(on=datetime.date.today())
    offer = Entitlement.objects.get(person=personas.person_haizhou)
    entitlement_confirm(
        actor=personas.talent,
        entitlement=offer,
        bank_name="中国银行",
        account="6217852000001234567",
        consent=True,
    )
    entitlement_step(actor=personas.haizhou, entitlement=offer, action="verify")
    return payment_batch_create(actor=personas.city, month=datetime.date.today())


def test_the_bank_file_has_the_full_account_for_the_city_only_and_is_audited(personas, login, batch):
    response = login(personas.city).get(f"/benefits/payments/{batch.pk}/bank-file/")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    line = batch.lines.get()
    assert rows[0] == ["明细编号", "姓名", "开户银行", "银行账号", "金额", "政策", "期次"]
    assert rows[1][:4] == [str(line.pk), "海州人员", "中国银行", "6217852000001234567"]
    assert AuditEntry.objects.filter(action="payment.bank_file", object_id=str(batch.pk)).count() == 1
    assert login(personas.haizhou).get(f"/benefits/payments/{batch.pk}/bank-file/").status_code == 403


def test_a_result_file_marks_lines_and_a_failed_line_returns_to_the_next_batch(tmp_path, personas, batch):
    line = batch.lines.get()
    path = write_csv(tmp_path / "回盘.csv", [[line.pk, "2500.00", "失败", "账户已冻结"]], headers=HEADERS)
    job = run(path, personas.city, kind="payment_results")
    assert job.result["lines_failed"] == 1
    line.refresh_from_db()
    assert (line.status, line.failure_reason) == ("failed", "账户已冻结")
    (retry,) = payment_batch_create(actor=personas.city, month=datetime.date.today()).lines.all()
    path = write_csv(tmp_path / "回盘2.csv", [[retry.pk, "2500", "成功", ""]], headers=HEADERS)
    assert run(path, personas.city, kind="payment_results").result["lines_paid"] == 1
    assert PaymentLine.objects.filter(status="paid").count() == 1


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (["{line}", "9999.00", "成功", ""], "回盘金额 9999.00 元不一致"),
        (["999999", "2500", "成功", ""], "明细编号 999999 不存在"),
        (["{line}", "2500", "也许", ""], "结果应为“成功”或“失败”"),
        (["{line}", "2500", "失败", ""], "发放失败须写明原因"),
        (["=1+2", "2500", "成功", ""], "明细编号应为数字"),
    ],
)
def test_a_hostile_or_malformed_result_file_changes_nothing(tmp_path, personas, batch, row, reason):
    line = batch.lines.get()
    good = [line.pk, "2500", "成功", ""]
    bad = [str(v).replace("{line}", str(line.pk)) for v in row]
    path = write_csv(tmp_path / "回盘.csv", [good, bad], headers=HEADERS)
    job = run(path, personas.city, kind="payment_results")
    assert job.status == "rejected"
    assert reason in error_reasons(job)
    line.refresh_from_db()
    assert line.status == "pending"


def test_a_line_is_answered_once(tmp_path, personas, batch):
    line = batch.lines.get()
    path = write_csv(tmp_path / "回盘.csv", [[line.pk, "2500", "成功", ""]], headers=HEADERS)
    run(path, personas.city, kind="payment_results")
    again = run(path, personas.city, kind="payment_results")
    assert again.status == "rejected"
    assert "已回盘（已发放），不能再次回盘" in error_reasons(again)
