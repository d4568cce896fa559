"""Policy files: the stable JSON format taken whole or not at all, idempotent loads, versions."""

import io
import json

import pytest
from django.core.management import call_command

from gongjiang.accounts.models import AuditEntry
from gongjiang.benefits.models import BenefitPolicy, PolicyBudget, PolicyVersion
from gongjiang.benefits.selectors import policies_dump
from gongjiang.benefits.services import policies_load
from gongjiang.benefits.spec import SpecError

pytestmark = pytest.mark.django_db

POLICY = {
    "code": "HZ-SKILL-ALLOWANCE",
    "name": "海州区高技术技能人才政府津贴",
    "basis": "海州区办法",
    "department": "海州区人社局",
    "mode": "automatic",
    "effective": ["2024-05-01", None],
    "regions": ["320706"],
    "levels": {"GRADE3": 5000, "GRADE2": 8000, "GRADE1": 10000, "SPECIAL": 20000, "CHIEF": 30000},
    "certificate_types": ["qualification", "skill_level", "appointment"],
    "attained": ["2024-05-01", None],
    "first_time": True,
    "domains": [],
    "shortage_only": False,
    "max_age": None,
    "introduced": None,
    "per": "person",
    "instalments": 3,
    "excludes": [],
    "budget": {"2026": 2000000},
}


def text(*policies) -> str:
    return json.dumps(list(policies), ensure_ascii=False)


def test_loading_the_same_file_twice_changes_nothing():
    first = policies_load(actor=None, text=text(POLICY))
    assert first.created == ["HZ-SKILL-ALLOWANCE"]
    second = policies_load(actor=None, text=text(POLICY))
    assert (second.created, second.new_versions, second.unchanged) == ([], [], ["HZ-SKILL-ALLOWANCE"])
    assert PolicyVersion.objects.count() == 1
    assert AuditEntry.objects.filter(action__startswith="policy.").count() == 1


def test_a_changed_rule_makes_a_new_version_and_a_budget_change_does_not():
    policies_load(actor=None, text=text(POLICY))
    raised = {**POLICY, "budget": {"2026": 3000000}}
    assert policies_load(actor=None, text=text(raised)).budgets_changed == ["HZ-SKILL-ALLOWANCE"]
    assert PolicyBudget.objects.get().amount == 3000000
    cheaper = {**raised, "levels": {**POLICY["levels"], "GRADE3": 4000}, "effective": ["2027-01-01", None]}
    assert policies_load(actor=None, text=text(cheaper)).new_versions == ["HZ-SKILL-ALLOWANCE"]
    versions = list(PolicyVersion.objects.order_by("number").values_list("number", "effective_from"))
    assert [(n, d.isoformat()) for n, d in versions] == [(1, "2024-05-01"), (2, "2027-01-01")]
    assert PolicyVersion.objects.get(number=1).rules["levels"]["GRADE3"] == 5000  # kept as granted


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"levels": {"GRADE9": 100}}, "第2个政策（HZ-SKILL-ALLOWANCE）的“levels”：未知的等级代码：GRADE9"),
        ({"salary": 1}, "第2个政策（HZ-SKILL-ALLOWANCE）的“salary”：不认识的字段"),
        ({"effective": ["2026-05-01", "2026-01-01"]}, "结束日期 2026-01-01 早于开始日期 2026-05-01"),
        ({"attained": ["2026-13-01", None]}, "“2026-13-01”不是有效日期"),
        ({"regions": ["999999"]}, "未知的县区代码：999999"),
        ({"mode": "auto"}, "应为 automatic（免申即享）或 application（依申请）"),
        ({"instalments": 0}, "分期数应为 1 至 10 的整数"),
        ({"levels": {"GRADE3": -5}}, "金额应在 0 至 10,000,000 元之间"),
    ],
)
def test_an_invalid_policy_refuses_the_whole_file_and_says_where(change, message):
    good = {**POLICY, "code": "OTHER-POLICY"}
    bad = {**POLICY, **change}
    with pytest.raises(SpecError) as exc:
        policies_load(actor=None, text=text(good, bad))
    assert message in str(exc.value)
    assert not BenefitPolicy.objects.exists()  # the good first policy was not written either


def test_a_file_that_is_not_json_is_refused_with_its_line():
    with pytest.raises(SpecError, match="文件不是有效的 JSON：第1行"):
        policies_load(actor=None, text='[{"code": "X",]')


def test_the_command_exits_2_on_a_bad_file_and_dump_reads_back(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(text({**POLICY, "levels": {"GRADE9": 1}}), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("policies", "load", str(bad), stderr=err)
    assert exc.value.code == 2
    assert "GRADE9" in err.getvalue() and not BenefitPolicy.objects.exists()

    good = tmp_path / "good.json"
    good.write_text(text(POLICY), encoding="utf-8")
    out = io.StringIO()
    call_command("policies", "load", str(good), stdout=out)
    assert json.loads(out.getvalue().splitlines()[-1])["created"] == ["HZ-SKILL-ALLOWANCE"]
    (dumped,) = policies_dump()
    assert dumped == {**POLICY, "budget": {"2026": 2000000}}
    dump_file = tmp_path / "dump.json"
    call_command("policies", "dump", "--out", str(dump_file), stdout=io.StringIO())
    again = io.StringIO()
    call_command("policies", "load", str(dump_file), stdout=again)
    assert json.loads(again.getvalue().splitlines()[-1])["unchanged"] == ["HZ-SKILL-ALLOWANCE"]


def test_the_shipped_demo_policies_load():
    from pathlib import Path

    import gongjiang.benefits

    path = Path(gongjiang.benefits.__file__).parent / "demo_policies.json"
    result = policies_load(actor=None, text=path.read_text(encoding="utf-8"))
    assert len(result.created) == 8
    assert BenefitPolicy.objects.filter(demo=True).count() == 8


def test_a_draft_is_evaluated_beside_the_version_in_force_and_nothing_is_written(personas, login):
    import datetime
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongjiang.benefits.selectors import policy_what_if
    from gongjiang.talents.tests.factories import CertificateFactory

    policies_load(actor=None, text=text(POLICY))
    for region in ("320706", "320706", "320707"):
        CertificateFactory(level_id="GRADE2", issue_date=datetime.date(2025, 3, 1), person__region_id=region)
    # The personas add one 2026 高级工 in 海州 and one in 赣榆.
    draft = {**POLICY, "regions": [], "levels": {**POLICY["levels"], "GRADE2": 9000}}
    upload = SimpleUploadedFile("试算.json", text(draft).encode(), content_type="application/json")
    page = login(personas.city).post("/benefits/policies/what-if/", {"file": upload}).content.decode()
    assert 'data-testid="draft-eligible">5<' in page and 'data-testid="current-eligible">3<' in page
    assert PolicyVersion.objects.count() == 1  # the draft was not saved
    result = policy_what_if(text=text(draft), on=datetime.date.today())
    assert result.draft_result.summary.amount == Decimal("37000.00")  # 3 × 9000 + 2 × 5000
    assert result.current_result.summary.amount == Decimal("21000.00")  # 2 × 8000 + 5000, 海州 only
    assert result.draft_result.by_level["GRADE2"] == (3, Decimal("27000"))
    assert result.draft_result.by_region["320707"] == (2, Decimal("14000"))
    assert sum(result.draft_result.by_year.values()) == Decimal("37000.00")  # 3 yearly parts
