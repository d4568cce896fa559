"""Funding: execution rate by source and measure equals a recomputation from the spending rows;
spending is entered, imported through the one pipeline (KIND ``spending``), and paid benefit
payment lines flow in once each."""

import datetime
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from gongjiang.jobs import files
from gongjiang.jobs.tests.helpers import run, write_xlsx
from gongjiang.plan.choices import SpendingOrigin
from gongjiang.plan.models import Budget, FundingSource, Measure, Spending
from gongjiang.plan.selectors import funding_execution
from gongjiang.plan.services import budget_set, spending_add, spending_sync_benefits

pytestmark = pytest.mark.django_db
HEADERS = ["资金来源", "措施", "支出日期", "金额（元）", "用途"]


def _source(name):
    return FundingSource.objects.get(name=name)


def _rows(personas):
    jobs, voc = _source("就业补助资金"), _source("职业教育专项资金")
    m2, m4 = Measure.objects.get(number=2), Measure.objects.get(number=4)
    budget_set(actor=personas.city, source=jobs, measure=m4, year=2026, amount=Decimal("1000000"))
    budget_set(actor=personas.city, source=voc, measure=m2, year=2026, amount=Decimal("300000"))
    budget_set(actor=personas.city, source=voc, measure=m4, year=2026, amount=Decimal("0"))
    for source, measure, amount, day in [
        (jobs, m4, "250000.50", datetime.date(2026, 3, 1)),
        (jobs, m4, "100000", datetime.date(2026, 9, 30)),
        (voc, m2, "120000", datetime.date(2026, 6, 1)),
        (voc, m4, "5000", datetime.date(2026, 6, 2)),  # spent with no budget: rate unknown, not ∞
        (jobs, m4, "99999", datetime.date(2025, 12, 31)),  # another year: not in 2026
    ]:
        spending_add(
            actor=personas.city,
            source=source,
            measure=measure,
            spent_on=day,
            amount=Decimal(amount),
            description="培训",
        )


def test_execution_rate_by_source_and_measure_equals_a_recomputation(personas):
    _rows(personas)
    view = funding_execution(user=personas.city, year=2026)
    # recomputed from the rows themselves, by hand
    expected = {}
    for row in Spending.objects.filter(spent_on__year=2026):
        key = (row.source_id, row.measure_id)
        expected[key] = expected.get(key, Decimal("0")) + row.amount
    budgets = {(b.source_id, b.measure_id): b.amount for b in Budget.objects.filter(year=2026)}
    for key in set(expected) | set(budgets):
        cell = view.cells[key]
        assert cell.spent == expected.get(key, 0)
        assert cell.budget == budgets.get(key, 0)
        assert cell.rate == (float(expected.get(key, 0) / budgets[key]) if budgets.get(key) else None)
    jobs = _source("就业补助资金")
    by_source = dict(view.by_source)
    assert by_source[jobs].spent == Decimal("350000.50")
    assert by_source[jobs].rate == pytest.approx(0.3500005)
    by_measure = {m.number: e for m, e in view.by_measure}
    assert by_measure[4].budget == Decimal("1000000") and by_measure[4].spent == Decimal("355000.50")
    assert by_measure[2].rate == pytest.approx(0.4)
    assert view.cells[(_source("职业教育专项资金").pk, 4)].rate is None
    assert view.total.spent == sum(expected.values())


def test_spending_imported_through_the_one_pipeline_counts_and_bad_rows_change_nothing(tmp_path, personas):
    good = write_xlsx(
        tmp_path / "支出.xlsx",
        [
            ["就业补助资金", "措施四", "2026-05-01", "1,200.50", "实训基地设备"],
            ["人才发展专项", "9", "2026/6/1", 800, "慰问"],
        ],
        headers=HEADERS,
    )
    job = run(good, personas.city, kind="spending")
    assert job.result["spending_created"] == 2
    assert set(Spending.objects.values_list("measure_id", "amount", "origin")) == {
        (4, Decimal("1200.50"), SpendingOrigin.IMPORT),
        (9, Decimal("800.00"), SpendingOrigin.IMPORT),
    }
    bad = write_xlsx(
        tmp_path / "坏.xlsx",
        [
            ["就业补助资金", "二", "2026-05-01", "100", "好行"],
            ["没有这个资金", "十一", "2026-05-01", "-5", "坏行"],
        ],
        headers=HEADERS,
    )
    job = run(bad, personas.city, kind="spending")
    assert job.status == "rejected"
    assert Spending.objects.count() == 2
    with files.decrypted_copy(job.output_file, suffix=".xlsx") as path:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[1:]
    report = " | ".join(" ".join(str(c) for c in row) for row in rows)
    for expected in ("没有这个资金", "无法识别的资金来源", "十一", "无法识别的措施", "金额应大于 0"):
        assert expected in report


def test_paid_benefit_payment_lines_flow_in_once(personas):
    from gongjiang.benefits.models import BenefitPolicy, Entitlement, PaymentBatch, PaymentLine, PolicyVersion

    policy = BenefitPolicy.objects.create(code="P-TEST", name="生活补贴", mode="automatic")
    version = PolicyVersion.objects.create(
        policy=policy, number=1, rules={}, effective_from=datetime.date(2026, 1, 1)
    )
    entitlement = Entitlement.objects.create(
        policy=policy,
        version=version,
        person=personas.person_haizhou,
        level_id="GRADE3",
        amount=3000,
        instalments=3,
        granted_on=datetime.date(2026, 6, 1),
    )
    batch = PaymentBatch.objects.create(month=datetime.date(2026, 7, 1))
    PaymentLine.objects.create(batch=batch, entitlement=entitlement, instalment=1, amount=1000, status="paid")
    PaymentLine.objects.create(
        batch=batch, entitlement=entitlement, instalment=2, amount=1000, status="pending"
    )
    assert spending_sync_benefits() == 1
    assert spending_sync_benefits() == 0
    row = Spending.objects.get()
    assert (row.source.name, row.measure_id, row.amount, row.origin) == (
        "人才发展专项",
        9,
        Decimal("1000.00"),
        SpendingOrigin.BENEFIT,
    )
    assert funding_execution(user=personas.city, year=2026).cells[(row.source_id, 9)].spent == Decimal("1000")


def test_departments_read_funding_and_counties_do_not(personas):
    _rows(personas)
    assert funding_execution(user=personas.department, year=2026).total.spent > 0
    assert funding_execution(user=personas.haizhou, year=2026).total.spent == 0


def test_a_wrong_spending_row_is_reversed_not_edited_and_the_year_comes_out_right(personas, client):
    """冲销: a row of the opposite amount, dated as the original, with the reason; both stay on
    record, the year's spent is as if the wrong row had never been, and nothing is reversed twice."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from gongjiang.accounts.models import AuditEntry
    from gongjiang.plan.services import spending_reverse

    _rows(personas)
    jobs = _source("就业补助资金")
    spent_before = funding_execution(user=personas.city, year=2026).total.spent
    wrong = spending_add(
        actor=personas.city,
        source=jobs,
        measure=Measure.objects.get(number=4),
        spent_on=datetime.date(2026, 4, 1),
        amount=Decimal("88000"),
        description="重复录入的培训费",
    )
    with pytest.raises(PermissionDenied):
        spending_reverse(actor=personas.department, spending=wrong, reason="重复录入")
    # Through the page: the city's list offers 冲销 on the row; the form asks for the reason.
    client.force_login(personas.city)
    page = client.get("/plan/funding/spending/").content.decode()
    assert f'href="/plan/funding/spending/{wrong.pk}/reverse/"' in page
    assert client.post(f"/plan/funding/spending/{wrong.pk}/reverse/", {"reason": ""}).status_code == 200
    response = client.post(f"/plan/funding/spending/{wrong.pk}/reverse/", {"reason": "重复录入"})
    assert response.status_code == 302
    reversal = Spending.objects.get(reverses=wrong)
    assert (reversal.amount, reversal.spent_on, reversal.origin) == (
        Decimal("-88000.00"),
        datetime.date(2026, 4, 1),
        SpendingOrigin.REVERSAL,
    )
    assert reversal.description == "冲销：重复录入的培训费（重复录入）"
    assert Spending.objects.filter(pk=wrong.pk).exists()
    assert funding_execution(user=personas.city, year=2026).total.spent == spent_before
    entry = AuditEntry.objects.get(action="plan.spending_reverse")
    assert entry.object_id == str(wrong.pk) and entry.changes["reason"] == "重复录入"
    for row, message in ((wrong, "已冲销"), (reversal, "冲销记录")):
        with pytest.raises(ValidationError, match=message):
            spending_reverse(actor=personas.city, spending=row, reason="再次冲销")
    page = client.get("/plan/funding/spending/").content.decode()
    assert f"/plan/funding/spending/{wrong.pk}/reverse/" not in page
    assert "手工录入（已冲销）" in page and "冲销：重复录入的培训费" in page
    # The department reads the list but is offered no 冲销.
    client.force_login(personas.department)
    assert "/reverse/" not in client.get("/plan/funding/spending/").content.decode()


def test_a_carried_benefit_payment_is_not_reversed_here(personas):
    from django.core.exceptions import ValidationError

    from gongjiang.plan.services import spending_reverse

    carried = Spending.objects.create(
        source=_source("就业补助资金"),
        measure=Measure.objects.get(number=4),
        spent_on=datetime.date(2026, 5, 1),
        amount=Decimal("2000"),
        description="技能提升补贴 第1期发放",
        origin=SpendingOrigin.BENEFIT,
        payment_line_id=1,
    )
    with pytest.raises(ValidationError, match="随发放结果同步"):
        spending_reverse(actor=personas.city, spending=carried, reason="不应冲销")
