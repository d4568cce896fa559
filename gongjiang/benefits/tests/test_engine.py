"""The eligibility engine: every condition on crafted data with its boundaries, the SQL against a
plain-Python oracle, and the one-person reading (with reasons) against the SQL."""

import datetime
import json
from decimal import Decimal

import pytest

from gongjiang.benefits.engine import grants, person_verdict, summary
from gongjiang.benefits.models import ShortageOccupation
from gongjiang.benefits.services import known_codes
from gongjiang.benefits.spec import spec_from_json
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.tests.factories import CertificateFactory, PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2026, 12, 1)
BASE = {
    "code": "TEST-POLICY",
    "name": "测试政策",
    "mode": "automatic",
    "effective": ["2024-05-01", None],
    "levels": {"GRADE3": 5000, "GRADE2": 8000, "GRADE1": 10000},
    "certificate_types": ["qualification", "skill_level", "appointment"],
}


def spec(**changes):
    return spec_from_json({**BASE, **changes}, known=known_codes())


def person(name, **fields):
    return PersonFactory(name=name, region_id=fields.pop("region_id", "320706"), **fields)


def cert(holder, level, issued, **fields):
    return CertificateFactory(person=holder, level_id=level, issue_date=issued, **fields)


def granted(s, on=ON) -> set[tuple[str, str]]:
    names = dict(Person.objects.values_list("pk", "name"))
    return {(names[pid], level) for pid, level in grants(s, on)}


# --- oracle ----------------------------------------------------------------------------------


def oracle(raw: dict, on: datetime.date) -> set[tuple[str, str]]:
    """The format's meaning, literally, one certificate at a time (no SQL, no engine code)."""
    ranks = {"GRADE5": 2, "GRADE4": 3, "GRADE3": 4, "GRADE2": 5, "GRADE1": 6, "SPECIAL": 7, "CHIEF": 8}

    def inside(window, day):
        if window is None:
            return True
        start, end = (D.fromisoformat(x) if x else None for x in window)
        return day is not None and (start is None or start <= day) and (end is None or day <= end)

    from gongjiang.benefits.models import Entitlement

    certs = list(Certificate.objects.select_related("person"))
    standing = {
        (e.person_id, e.level_id, e.policy.code)
        for e in Entitlement.objects.select_related("policy")
        if e.status in ("offered", "confirmed", "payable")
    }
    shortage = list(ShortageOccupation.objects.select_related("min_level"))
    found: dict[int, list[str]] = {}
    for c in certs:
        p = c.person
        valid = (
            c.status != "revoked"
            and c.issue_date <= on
            and (c.valid_until >= on if c.valid_until else c.status != "expired")
        )
        if not (valid and c.cert_type_id in raw["certificate_types"] and c.level_id in raw["levels"]):
            continue
        if not (inside(raw.get("attained"), c.issue_date) and inside(raw["effective"], c.issue_date)):
            continue
        if raw.get("regions") and p.region_id not in raw["regions"]:
            continue
        if raw.get("domains") and p.domain_id not in raw["domains"]:
            continue
        if raw.get("shortage_only") and not any(
            s.year == c.issue_date.year
            and ranks[s.min_level_id] <= ranks[c.level_id]
            and (c.occupation_id or "").split("-")[: len(s.occupation_id.split("-"))]
            == s.occupation_id.split("-")
            for s in shortage
        ):
            continue
        if raw.get("max_age") is not None:
            b = p.birth_date
            age = c.issue_date.year - b.year - ((c.issue_date.month, c.issue_date.day) < (b.month, b.day))
            if age > raw["max_age"]:
                continue
        if raw.get("introduced") is not None and not (
            p.introduced_on and inside(raw["introduced"], p.introduced_on)
        ):
            continue
        if raw.get("first_time") and any(
            e.person_id == c.person_id
            and e.pk != c.pk
            and e.status != "revoked"
            and e.level_id
            and ranks.get(e.level_id, 0) >= ranks[c.level_id]
            and e.issue_date < c.issue_date
            for e in certs
        ):
            continue
        if any((c.person_id, c.level_id, code) in standing for code in raw.get("excludes", [])):
            continue
        found.setdefault(c.person_id, []).append(c.level_id)
    names = dict(Person.objects.values_list("pk", "name"))
    if raw.get("per", "person") == "level":
        return {(names[pid], level) for pid, levels in found.items() for level in set(levels)}
    return {(names[pid], max(levels, key=ranks.get)) for pid, levels in found.items()}


# --- each condition, with its boundaries ------------------------------------------------------


def test_validity_on_the_date_type_and_level(db):
    cert(person("有效高级工"), "GRADE3", D(2025, 1, 1))
    cert(person("已撤销"), "GRADE3", D(2025, 1, 1), status="revoked")
    cert(person("评价日到期"), "GRADE2", D(2025, 1, 1), valid_until=ON)
    cert(person("前一日到期"), "GRADE2", D(2025, 1, 1), valid_until=ON - datetime.timedelta(days=1))
    cert(person("中级工"), "GRADE4", D(2025, 1, 1))
    cert(person("专项能力"), None, D(2025, 1, 1), cert_type_id="special_ability")
    assert granted(spec()) == {("有效高级工", "GRADE3"), ("评价日到期", "GRADE2")}


def test_attained_and_effective_windows_include_both_ends(db):
    s = spec(attained=["2025-01-01", "2025-12-31"])
    cert(person("首日"), "GRADE3", D(2025, 1, 1))
    cert(person("末日"), "GRADE3", D(2025, 12, 31))
    cert(person("前一日"), "GRADE3", D(2024, 12, 31))
    cert(person("后一日"), "GRADE3", D(2026, 1, 1))
    cert(person("生效前"), "GRADE3", D(2024, 4, 30))
    assert granted(s) == {("首日", "GRADE3"), ("末日", "GRADE3")}
    assert granted(spec()) >= {("前一日", "GRADE3"), ("后一日", "GRADE3")}
    assert ("生效前", "GRADE3") not in granted(spec())  # effective from 2024-05-01


def test_regions_and_domains(db):
    cert(person("海州制造", domain_id="advanced_manufacturing"), "GRADE3", D(2025, 3, 1))
    cert(person("赣榆制造", region_id="320707", domain_id="advanced_manufacturing"), "GRADE3", D(2025, 3, 1))
    cert(person("海州其他", domain_id=None), "GRADE3", D(2025, 3, 1))
    s = spec(regions=["320706"], domains=["advanced_manufacturing"])
    assert granted(s) == {("海州制造", "GRADE3")}


def test_age_exactly_at_the_limit_qualifies_and_a_day_older_does_not(db):
    cert(person("正好35岁", birth_date=D(1990, 6, 1)), "GRADE3", D(2025, 6, 1))
    cert(person("36岁", birth_date=D(1990, 5, 31)), "GRADE3", D(2026, 5, 31))
    cert(person("差一天36岁", birth_date=D(1990, 6, 1)), "GRADE3", D(2026, 5, 31))
    assert granted(spec(max_age=35)) == {("正好35岁", "GRADE3"), ("差一天36岁", "GRADE3")}


def test_introduced_window(db):
    cert(person("引进", introduced_on=D(2026, 1, 1)), "GRADE3", D(2025, 3, 1))
    cert(person("早引进", introduced_on=D(2025, 12, 31)), "GRADE3", D(2025, 3, 1))
    cert(person("本地"), "GRADE3", D(2025, 3, 1))
    assert granted(spec(introduced=["2026-01-01", None])) == {("引进", "GRADE3")}


def test_first_time_ignores_a_revoked_earlier_certificate(db):
    again = person("曾有高级工")
    cert(again, "GRADE3", D(2024, 1, 1))
    cert(again, "GRADE3", D(2025, 3, 1), cert_type_id="skill_level")
    revoked = person("早证已撤销")
    cert(revoked, "GRADE3", D(2024, 1, 1), status="revoked")
    cert(revoked, "GRADE3", D(2025, 3, 1))
    lower = person("此前仅中级")
    cert(lower, "GRADE4", D(2023, 1, 1))
    cert(lower, "GRADE3", D(2025, 3, 1))
    s = spec(first_time=True, attained=["2025-01-01", None])
    assert granted(s) == {("早证已撤销", "GRADE3"), ("此前仅中级", "GRADE3")}


def test_a_later_upgrade_grants_the_higher_level_once_per_person_and_both_per_level(db):
    climber = person("晋升技师")
    cert(climber, "GRADE3", D(2025, 1, 1))
    cert(climber, "GRADE2", D(2026, 3, 1))
    assert granted(spec(first_time=True)) == {("晋升技师", "GRADE2")}
    assert granted(spec(per="level")) == {("晋升技师", "GRADE3"), ("晋升技师", "GRADE2")}
    assert summary(spec(first_time=True), ON).as_json() == {"eligible": 1, "amount": "8000.00"}
    assert summary(spec(per="level"), ON).as_json() == {"eligible": 2, "amount": "13000.00"}


def test_shortage_catalogue_of_the_issue_year_at_or_below_the_level(db):
    ShortageOccupation.objects.create(year=2025, occupation_id="6-18-02", min_level_id="GRADE3")
    cert(person("目录职业"), "GRADE3", D(2025, 3, 1), occupation_id="6-18-02-04")
    cert(person("目录职业低等级"), "GRADE4", D(2025, 3, 1), occupation_id="6-18-02-04")
    cert(person("次年取证"), "GRADE3", D(2026, 3, 1), occupation_id="6-18-02-04")
    cert(person("别的职业"), "GRADE3", D(2025, 3, 1), occupation_id="4-01-01-01")
    s = spec(shortage_only=True, levels={"GRADE4": 1000, "GRADE3": 2000})
    assert granted(s) == {("目录职业", "GRADE3")}


# --- the whole engine against the oracle ---------------------------------------------------------


@pytest.fixture
def crowd(db):
    """A mixed crowd: every condition's edge for someone."""
    ShortageOccupation.objects.create(year=2025, occupation_id="6-18-02", min_level_id="GRADE4")
    rows = [
        ("甲", {}, [("GRADE3", D(2025, 1, 1), {})]),
        ("乙", {"region_id": "320707"}, [("GRADE2", D(2024, 6, 1), {"occupation_id": "6-18-02-04"})]),
        ("丙", {"introduced_on": D(2026, 2, 1)}, [("GRADE1", D(2020, 1, 1), {})]),
        ("丁", {"birth_date": D(2000, 1, 1)}, [("GRADE4", D(2025, 5, 1), {"occupation_id": "6-18-02-01"})]),
        ("戊", {}, [("GRADE3", D(2023, 1, 1), {}), ("GRADE2", D(2025, 7, 1), {})]),
        ("己", {}, [("GRADE3", D(2025, 2, 1), {"status": "revoked"}), ("GRADE3", D(2025, 9, 1), {})]),
        ("庚", {}, [("GRADE2", D(2024, 1, 1), {"valid_until": D(2026, 6, 30)})]),
        ("辛", {"domain_id": None}, [("SPECIAL", D(2025, 1, 1), {"cert_type_id": "appointment"})]),
    ]
    for name, fields, certs in rows:
        holder = person(name, **fields)
        for level, issued, extra in certs:
            cert(holder, level, issued, **extra)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"regions": ["320706"], "first_time": True},
        {"per": "level", "attained": ["2025-01-01", "2025-12-31"]},
        {"max_age": 30, "levels": {"GRADE4": 1000, "GRADE3": 2000}},
        {"introduced": ["2026-01-01", None], "levels": {"GRADE1": 1, "GRADE2": 1, "GRADE3": 1}},
        {"shortage_only": True, "levels": {"GRADE4": 1000, "GRADE3": 2000, "GRADE2": 3000}},
        {"levels": {"SPECIAL": 20000, "CHIEF": 30000}, "certificate_types": ["appointment"]},
    ],
)
@pytest.mark.parametrize("on", [D(2026, 6, 30), D(2026, 7, 1), ON])
def test_the_engine_equals_the_oracle(crowd, changes, on):
    raw = json.loads(json.dumps({**BASE, **changes}))
    assert granted(spec(**changes), on) == oracle(raw, on)


@pytest.mark.parametrize("changes", [{}, {"first_time": True, "regions": ["320706"]}, {"max_age": 30}])
def test_the_reasons_agree_with_the_engine(crowd, changes):
    s = spec(**changes)
    engine = granted(s)
    for holder in Person.objects.all():
        verdict = person_verdict(s, holder, ON)
        assert verdict.eligible == any(name == holder.name for name, _ in engine), holder.name
        if verdict.eligible:
            assert (holder.name, verdict.level) in engine
            assert verdict.amount == Decimal(str(s.levels[verdict.level]))
        else:
            assert any(not c.ok for c in verdict.checks)


def test_a_reason_says_which_date_and_which_limit(db):
    late = person("早取证")
    cert(late, "GRADE3", D(2023, 4, 1))
    verdict = person_verdict(spec(attained=["2024-05-01", None]), late, ON)
    assert not verdict.eligible
    failing = [c.reason for c in verdict.checks if not c.ok]
    assert "高级工证书发证日期 2023-04-01 早于 2024-05-01" in failing


# --- granting (免申即享) and excludes ----------------------------------------------------------------


def _load(**changes):
    from gongjiang.benefits.services import policies_load

    policies_load(actor=None, text=json.dumps([{**BASE, **changes}], ensure_ascii=False))


def test_granting_offers_once_and_a_second_run_adds_nothing(db):
    from gongjiang.benefits.models import Entitlement
    from gongjiang.benefits.services import entitlements_grant

    climber = person("晋升技师")
    cert(climber, "GRADE3", D(2025, 1, 1))
    cert(person("高级工"), "GRADE3", D(2025, 6, 1))
    _load(instalments=3)
    assert entitlements_grant(on=D(2025, 12, 31)) == {"TEST-POLICY": 2}
    assert entitlements_grant(on=D(2025, 12, 31)) == {"TEST-POLICY": 0}
    cert(climber, "GRADE2", D(2026, 3, 1))
    assert entitlements_grant(on=ON) == {"TEST-POLICY": 0}  # per person: the higher level is not added on top
    offers = Entitlement.objects.filter(person=climber)
    assert [(e.level_id, e.amount, e.instalments, e.status) for e in offers] == [
        ("GRADE3", Decimal("5000.00"), 3, "offered")
    ]


def test_a_standing_entitlement_of_an_excluded_policy_at_the_same_level_disqualifies(db):
    from gongjiang.benefits.models import Entitlement
    from gongjiang.benefits.services import entitlements_grant, policies_load

    holder = person("已享受甲")
    cert(holder, "GRADE3", D(2025, 1, 1))
    declined = person("放弃甲")
    cert(declined, "GRADE3", D(2025, 1, 1))
    policies_load(actor=None, text=json.dumps([{**BASE, "code": "POLICY-A"}], ensure_ascii=False))
    entitlements_grant(on=ON)
    cert(person("未享受"), "GRADE3", D(2025, 1, 1))  # registered after POLICY-A was granted
    Entitlement.objects.filter(person=declined).update(status="declined")
    other = {**BASE, "code": "POLICY-B", "excludes": ["POLICY-A"]}
    assert granted(spec(**other)) == {("放弃甲", "GRADE3"), ("未享受", "GRADE3")}
    assert granted(spec(**other)) == oracle(other, ON)
    verdict = person_verdict(spec(**other), holder, ON)
    assert not verdict.eligible
    assert "已享受测试政策（高级工）" in [c.reason for c in verdict.checks if not c.ok]


def test_a_run_limited_to_some_persons_offers_only_to_them(db):
    from gongjiang.benefits.services import entitlements_grant

    touched = person("本次导入")
    cert(touched, "GRADE3", D(2025, 1, 1))
    cert(person("未涉及"), "GRADE3", D(2025, 1, 1))
    _load()
    made = entitlements_grant(on=ON, persons="SELECT id FROM talents_person WHERE id = %d" % touched.pk)
    assert made == {"TEST-POLICY": 1}
    assert entitlements_grant(on=ON) == {"TEST-POLICY": 1}  # the full run reaches the other one
