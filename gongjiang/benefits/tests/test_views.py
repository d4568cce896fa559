"""A person's benefits on their page: each policy with each condition and its reason, in scope."""

import datetime
import json

import pytest

from gongjiang.benefits.services import entitlements_grant, policies_load
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db

POLICIES = [
    {
        "code": "HZ-ALLOWANCE",
        "name": "海州区津贴",
        "mode": "automatic",
        "effective": ["2024-05-01", None],
        "regions": ["320706"],
        "levels": {"GRADE3": 5000, "GRADE2": 8000},
        "certificate_types": ["skill_level"],
        "attained": ["2024-05-01", None],
        "instalments": 3,
        "department": "海州区人社局",
    },
    {
        "code": "GY-ALLOWANCE",
        "name": "赣榆区津贴",
        "mode": "automatic",
        "effective": ["2024-05-01", None],
        "regions": ["320707"],
        "levels": {"GRADE3": 3000},
        "certificate_types": ["skill_level"],
    },
]


def test_the_person_page_explains_each_policy(personas, login):
    policies_load(actor=None, text=json.dumps(POLICIES, ensure_ascii=False))
    person = PersonFactory(name="海州技师", region_id="320706")
    CertificateFactory(person=person, level_id="GRADE2", issue_date=datetime.date(2025, 4, 1))
    entitlements_grant(on=datetime.date.today())
    client = login(personas.haizhou)
    page = client.get(f"/talents/persons/{person.pk}/").content.decode()
    assert f'hx-get="/benefits/persons/{person.pk}/eligibility/"' in page
    fragment = client.get(f"/benefits/persons/{person.pk}/eligibility/").content.decode()
    hz = fragment.split('data-testid="benefit-HZ-ALLOWANCE"')[1].split("</li>\n      \n")[0]
    assert "符合" in hz and "技师 · 8000 元（分 3 年发放）" in hz and "待确认" in hz
    assert "✔ 取得时间：技师证书发证日期 2025-04-01 在 2024-05-01 至 不限 内" in hz
    gy = fragment.split('data-testid="benefit-GY-ALLOWANCE"')[1]
    assert "不符合" in gy and "✘ 工作县区：工作县区为海州区" in gy
    assert client.get(f"/benefits/persons/{personas.person_ganyu.pk}/eligibility/").status_code == 404
