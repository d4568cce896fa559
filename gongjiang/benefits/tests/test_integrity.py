"""The integrity checks that no manual review catches."""

import datetime
import json
from decimal import Decimal

import pytest

from gongjiang.benefits.models import Entitlement, YearlyCap
from gongjiang.benefits.selectors import integrity_findings
from gongjiang.benefits.services import entitlements_grant, policies_load
from gongjiang.core.crypto import digest
from gongjiang.talents.services import certificate_revoke
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db
POLICY = {
    "code": "HZ-ALLOWANCE",
    "name": "海州区津贴",
    "mode": "automatic",
    "effective": ["2024-05-01", None],
    "levels": {"GRADE3": 5000},
    "certificate_types": ["skill_level"],
}


@pytest.fixture
def offers(db):
    policies_load(actor=None, text=json.dumps([POLICY], ensure_ascii=False))
    holders = [PersonFactory(name=name, region_id="320706") for name in ("甲", "乙", "丙")]
    certs = [
        CertificateFactory(person=p, level_id="GRADE3", issue_date=datetime.date(2025, 3, 1)) for p in holders
    ]
    entitlements_grant(on=datetime.date(2026, 6, 1))
    return holders, certs


def test_one_bank_account_for_two_persons_is_flagged(offers):
    holders, _ = offers
    accounts = ("6217000011112222", "6217000011112222", "6217000033334444")
    for holder, account in zip(holders, accounts, strict=True):
        # As entitlement_confirm stores it (the talents confirm through the page in other tests).
        Entitlement.objects.filter(person=holder).update(account_digest=digest("bank-account:" + account))
    (group,) = integrity_findings().shared_accounts
    assert sorted(e.person.name for e in group) == ["乙", "甲"]


def test_a_person_over_the_yearly_cap_is_flagged(offers):
    YearlyCap.objects.create(year=2026, amount=Decimal("4000"))
    over = integrity_findings().over_cap
    assert sorted(row["person__name"] for row in over) == ["丙", "乙", "甲"]
    YearlyCap.objects.filter(year=2026).update(amount=Decimal("5000"))
    assert integrity_findings().over_cap == []


def test_a_certificate_revoked_after_the_grant_is_flagged(personas, offers):
    _, certs = offers
    certificate_revoke(actor=personas.city, certificate=certs[1], reason="弄虚作假取得")
    assert [e.person.name for e in integrity_findings().certificate_gone] == ["乙"]
