"""An offer confirmed, verified and paid, never twice: the offer's steps on the one workflow, the
month's batch (run twice, a failed line retried), the database's last word, two runs at once."""

import datetime
import json
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from gongjiang.accounts.scope import OutOfScope
from gongjiang.benefits.models import Entitlement, PaymentBatch, PaymentLine
from gongjiang.benefits.services import (
    entitlement_confirm,
    entitlement_step,
    entitlements_grant,
    payment_batch_create,
    policies_load,
)
from gongjiang.talents.tests.factories import CertificateFactory
from gongjiang.workflow.selectors import history, todo_for

pytestmark = pytest.mark.django_db
D = datetime.date
POLICY = {
    "code": "HZ-ALLOWANCE",
    "name": "海州区津贴",
    "mode": "automatic",
    "effective": ["2024-05-01", None],
    "regions": ["320706"],
    "levels": {"GRADE3": 5000},
    "certificate_types": ["skill_level"],
    "instalments": 3,
}


@pytest.fixture
def offer(personas):
    policies_load(actor=None, text=json.dumps([POLICY], ensure_ascii=False))
    person = personas.person_haizhou  # holds a 2026 高级工 certificate and the talent account
    CertificateFactory(person=person, level_id="GRADE3", issue_date=D(2025, 6, 1))
    entitlements_grant(on=datetime.date.today())
    return Entitlement.objects.get(person=person)


def confirm(personas, offer, **changes):
    values = {"bank_name": "中国银行连云港分行", "account": "6217 8520 0000 1234 567", "consent": True}
    return entitlement_confirm(actor=personas.talent, entitlement=offer, **{**values, **changes})


def test_the_talent_confirms_the_county_verifies_and_it_becomes_payable(personas, offer):
    assert [i.obj for i in todo_for(user=personas.talent)] == [offer]
    confirmed = confirm(personas, offer)
    assert confirmed.status == "confirmed"
    assert confirmed.account_masked == "***************4567"
    assert "6217852000001234567" not in confirmed.account_cipher  # encrypted at rest
    assert [i.obj for i in todo_for(user=personas.haizhou)] == [offer]
    assert todo_for(user=personas.ganyu) == []
    with pytest.raises(OutOfScope):
        entitlement_step(actor=personas.ganyu, entitlement=offer, action="verify")
    verified = entitlement_step(actor=personas.haizhou, entitlement=offer, action="verify")
    assert (verified.status, verified.payable_on) == ("payable", datetime.date.today())
    assert [e.action for e in history(offer)] == ["confirm", "verify"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent": False}, "consent", "请阅读并同意发放须知"),
        ({"account": "6217-85"}, "account", "银行账号应为12至30位数字"),
        ({"bank_name": " "}, "bank_name", "请填写开户银行"),
    ],
)
def test_a_confirmation_without_consent_or_with_a_bad_account_is_refused(
    personas, offer, changes, field, message
):
    with pytest.raises(ValidationError) as exc:
        confirm(personas, offer, **changes)
    assert message in exc.value.message_dict[field][0]
    offer.refresh_from_db()
    assert (offer.status, offer.account_cipher) == ("offered", "")


def test_a_returned_confirmation_goes_back_to_the_talent(personas, offer):
    confirm(personas, offer)
    entitlement_step(actor=personas.haizhou, entitlement=offer, action="return", reason="账号户名与本人不符")
    offer.refresh_from_db()
    assert (offer.status, offer.status_reason) == ("offered", "账号户名与本人不符")
    assert [i.obj for i in todo_for(user=personas.talent)] == [offer]


def _payable(personas, offer, on):
    confirm(personas, offer)
    entitlement_step(actor=personas.haizhou, entitlement=offer, action="verify")
    Entitlement.objects.filter(pk=offer.pk).update(payable_on=on)


def test_instalments_fall_due_yearly_and_a_second_batch_adds_only_what_is_new(personas, offer):
    _payable(personas, offer, D(2026, 3, 15))
    first = payment_batch_create(actor=personas.city, month=D(2026, 3, 1))
    assert [(line.instalment, line.amount) for line in first.lines.all()] == [(1, Decimal("1666.66"))]
    assert payment_batch_create(actor=personas.city, month=D(2026, 3, 1)).lines.count() == 0
    later = payment_batch_create(actor=personas.city, month=D(2028, 3, 1))
    assert [(line.instalment, line.amount) for line in later.lines.all()] == [
        (2, Decimal("1666.66")),
        (3, Decimal("1666.68")),
    ]


def test_a_failed_line_goes_into_the_next_batch_and_a_paid_one_never_again(personas, offer):
    _payable(personas, offer, D(2026, 3, 15))
    (line,) = payment_batch_create(actor=personas.city, month=D(2026, 3, 1)).lines.all()
    PaymentLine.objects.filter(pk=line.pk).update(status="failed", failure_reason="账户已销户")
    (retry,) = payment_batch_create(actor=personas.city, month=D(2026, 4, 1)).lines.all()
    assert (retry.instalment, retry.entitlement_id) == (1, offer.pk)
    PaymentLine.objects.filter(pk=retry.pk).update(status="paid")
    assert payment_batch_create(actor=personas.city, month=D(2026, 5, 1)).lines.count() == 0


def test_the_database_refuses_a_second_live_line_whatever_the_code_does(personas, offer):
    _payable(personas, offer, D(2026, 3, 15))
    (line,) = payment_batch_create(actor=personas.city, month=D(2026, 3, 1)).lines.all()
    batch = PaymentBatch.objects.create(month=D(2026, 4, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(batch=batch, entitlement=offer, instalment=1, amount=line.amount)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_batch_runs_at_once_pay_each_instalment_once(refdata):
    from gongjiang.common.testing import build_personas

    personas = build_personas()
    policies_load(actor=None, text=json.dumps([POLICY], ensure_ascii=False))
    for _ in range(5):
        CertificateFactory(level_id="GRADE3", issue_date=D(2025, 6, 1), person__region_id="320706")
    entitlements_grant(on=datetime.date.today())
    Entitlement.objects.update(status="payable", payable_on=D(2026, 1, 10))
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def run():
        try:
            barrier.wait()
            payment_batch_create(actor=None, month=D(2026, 1, 1))
        except Exception as exc:  # reported below: neither run may fail
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    entitlements = Entitlement.objects.count()
    assert entitlements == 6  # the five and the 海州 persona's 2026 高级工
    lines = list(PaymentLine.objects.values_list("entitlement_id", "instalment"))
    assert len(lines) == len(set(lines)) == entitlements  # every first instalment once
    assert PaymentBatch.objects.count() == 2  # the second run found nothing left to pay
    assert personas.city is not None


def test_an_approval_past_the_years_budget_is_refused_until_the_city_raises_it(personas, offer):
    from gongjiang.benefits.models import PolicyBudget
    from gongjiang.benefits.services import policy_budget_set

    year = datetime.date.today().year
    PolicyBudget.objects.update_or_create(
        policy=offer.policy, year=year, defaults={"amount": Decimal("4000")}
    )
    confirm(personas, offer)
    with pytest.raises(ValidationError) as exc:
        entitlement_step(actor=personas.haizhou, entitlement=offer, action="verify")
    assert "预算 4000.00 元，已核实 0 元，本笔 5000.00 元将超出预算" in exc.value.messages[0]
    offer.refresh_from_db()
    assert offer.status == "confirmed"
    policy_budget_set(actor=personas.city, policy=offer.policy, year=year, amount=Decimal("10000"))
    assert entitlement_step(actor=personas.haizhou, entitlement=offer, action="verify").status == "payable"
