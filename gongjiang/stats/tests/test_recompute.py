"""The dashboard shows exactly what the definitions say: every indicator and breakdown is
recomputed from the raw rows (in SQL by ``figures_from_raw``, and once more in plain Python here,
from the certificates one by one) and compared with what the aggregates give. Equal, always."""

from __future__ import annotations

import datetime
import io
import json
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongjiang.accounts.scope import SYSTEM
from gongjiang.stats.figures import Figures, figures_from_raw
from gongjiang.stats.indicators import DEADLINE, START, month_start
from gongjiang.stats.models import OfficialTotal
from gongjiang.stats.selectors import dashboard, indicators_from_raw
from gongjiang.stats.services import stats_refresh_all
from gongjiang.talents.models import Certificate, Person
from gongjiang.talents.services import certificate_revoke

from .factories import build_crafted

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def crafted(personas):
    data = build_crafted(actor=personas.city)
    stats_refresh_all()
    return data


def oracle(*, on: datetime.date, today: datetime.date | None = None) -> dict:
    """The definitions of DESIGN.md applied person by person in Python, independent of any SQL."""
    today = today or timezone.localdate()
    levels = {"GRADE5": 2, "GRADE4": 3, "GRADE3": 4, "GRADE2": 5, "GRADE1": 6, "SPECIAL": 7, "CHIEF": 8}
    by_rank = {rank: code for code, rank in levels.items()}
    certificates = defaultdict(list)
    for c in Certificate.objects.all():
        certificates[c.person_id].append(c)
    figures = Figures(on=on)
    for p in Person.objects.select_related("employer"):
        counted = [
            c
            for c in certificates[p.pk]
            if c.status != "revoked"
            and c.level_id is not None
            and c.issue_date <= on
            and (c.valid_until >= on if c.valid_until else c.status != "expired")
        ]
        if not counted or (p.introduced_on and p.introduced_on > on):
            continue
        top = by_rank[max(levels[c.level_id] for c in counted)]
        highs = [c.issue_date for c in counted if levels[c.level_id] >= levels["GRADE3"]]
        since = max(min(highs), p.introduced_on or min(highs)) if highs else None
        high = int(since is not None and since <= on)
        new = int(since is not None and START <= since <= min(on, DEADLINE))
        employer = p.employer
        for groups, key in (
            (figures.by_region, p.region_id),
            (figures.by_domain, p.domain_id or ""),
            (figures.by_level, top),
            (figures.by_employer_kind, employer.kind if employer else ""),
            (figures.by_occupation, p.occupation_id or ""),
        ):
            groups[key].add(1, high, new)
        for flag, on_flag in (
            ("chain_leader", employer and employer.is_chain_leader),
            ("specialised", employer and employer.is_specialised),
            ("state_owned", employer and employer.is_state_owned),
        ):
            if on_flag:
                figures.by_flag[flag].add(1, high, new)
        figures.total.add(1, high, new)
        if new:
            figures.new_by_month[month_start(since)] += 1
            figures.new_by_region_month[(p.region_id, month_start(since))] += 1
    return figures.as_dict()


def test_dashboard_equals_raw_recompute_and_python_oracle(crafted, personas):
    board = dashboard(user=personas.city)
    today = board.on
    raw = figures_from_raw(on=today)
    assert board.figures.as_dict() == raw.as_dict() == oracle(on=today)
    assert board.figures.total.skilled > 50  # the crafted crowd is really there


@pytest.mark.parametrize("region", ["320706", "320707", "320771"])
def test_each_region_dashboard_equals_raw_recompute(crafted, personas, region):
    board = dashboard(user=personas.city, region=region)
    raw = figures_from_raw(on=board.on, region=region)
    assert board.figures.as_dict() == raw.as_dict()
    expected = oracle(on=board.on)
    assert board.figures.as_dict()["by_region"] == {region: expected["by_region"][region]}


def test_indicators_on_dashboard_equal_raw_indicators(crafted, personas):
    board = dashboard(user=personas.city)
    _figures, raw = indicators_from_raw(on=board.on)
    for shown, computed in zip(board.indicators, raw, strict=True):
        assert shown.code == computed.code
        for attribute in ("value", "goal", "baseline", "pace", "projection", "status", "gap", "available"):
            assert getattr(shown, attribute) == getattr(computed, attribute), (shown.code, attribute)
    share = board.indicator("high_skilled_share")
    assert share.parts["high"] == board.figures.total.high
    base = figures_from_raw(on=D(2025, 12, 31)).total
    assert share.parts["registry_baseline"] == pytest.approx(base.high / base.skilled)
    # With an official total both compute the share, pace and status against it.
    OfficialTotal.objects.create(region_id="320700", year=board.on.year, skilled_workers=100_000)
    board = dashboard(user=personas.city)
    _figures, raw = indicators_from_raw(on=board.on)
    for attribute in ("value", "baseline", "pace", "projection", "status", "gap"):
        assert getattr(board.indicators[1], attribute) == getattr(raw[1], attribute), attribute
    assert board.indicators[1].baseline == pytest.approx(base.high / 100_000)


def test_edge_cases_count_as_defined(crafted, personas):
    figures = dashboard(user=personas.city).figures
    people = crafted.persons
    by_month = figures.new_by_month

    def raw_at(on):
        return figures_from_raw(on=on)

    # Two high certificates: one person, in March 2026 (not again in July).
    assert people["two_high"].high_skilled_since == D(2026, 3, 5)
    # 2025-12-31 is before the period, 2026-01-01 is in it.
    assert people["on_2025_12_31"].is_high_skilled and people["on_2025_12_31"].high_skilled_since == D(
        2025, 12, 31
    )
    assert raw_at(D(2025, 12, 31)).total.new_high == 0
    first_day = raw_at(D(2026, 1, 1))
    assert first_day.total.new_high == Person.objects.filter(high_skilled_since=D(2026, 1, 1)).count() >= 1
    assert (
        by_month[D(2026, 1, 1)]
        == Person.objects.filter(high_skilled_since__range=(D(2026, 1, 1), D(2026, 1, 31))).count()
    )
    # The introduced talent counts from the introduction date.
    assert people["introduced_2026"].high_skilled_since == D(2026, 4, 20)
    assert people["introduced_2025"].high_skilled_since == D(2025, 6, 1)
    # Revoked, expired and 专项职业能力 certificates make nobody high-skilled.
    for name in ("revoked", "expired", "special_and_grade5"):
        assert not Person.objects.get(pk=people[name].pk).is_high_skilled
    assert Person.objects.get(pk=people["special_only"].pk).highest_level_id is None
    assert Person.objects.get(pk=people["no_certificate"].pk).highest_level_id is None
    # The mover is counted where it works now.
    ganyu_q2 = sum(figures.new_by_region_month.get(("320707", D(2026, m, 1)), 0) for m in (4, 5, 6))
    expected = Person.objects.filter(
        region_id="320707", high_skilled_since__range=(D(2026, 4, 1), D(2026, 6, 30))
    )
    assert ganyu_q2 == expected.count()
    assert expected.filter(pk=people["mover"].pk).exists()


def test_a_revocation_moves_the_numbers_after_refresh(crafted, personas):
    before = dashboard(user=personas.city).figures
    person = crafted.persons["two_high"]
    for c in Certificate.objects.filter(person=person, level__is_high_skilled=True):
        certificate_revoke(actor=personas.city, certificate=c, reason="核查发现不符")
    stats_refresh_all()
    after = dashboard(user=personas.city).figures
    assert after.total.high == before.total.high - 1
    assert after.total.new_high == before.total.new_high - 1
    assert after.new_by_month[D(2026, 3, 1)] == before.new_by_month[D(2026, 3, 1)] - 1
    assert after.as_dict() == figures_from_raw(on=after.on).as_dict() == oracle(on=after.on)


@pytest.mark.parametrize(
    "on", [D(2025, 12, 31), D(2026, 1, 1), D(2026, 4, 19), D(2026, 4, 20), D(2026, 6, 30)]
)
def test_raw_recompute_at_past_dates_matches_the_oracle(crafted, on):
    assert figures_from_raw(on=on).as_dict() == oracle(on=on)


def test_indicators_command_prints_every_indicator_as_json(crafted, personas):
    out = io.StringIO()
    call_command("indicators", "--json", stdout=out)
    lines = out.getvalue().strip().splitlines()
    result = json.loads(lines[-1])
    board = dashboard(user=personas.city)
    total = board.figures.total
    assert result["new_high_skilled"]["value"] == total.new_high
    assert result["new_high_skilled"]["goal"] == 50000
    assert result["new_high_skilled"]["pace"] == pytest.approx(
        board.indicator("new_high_skilled").pace, abs=1e-3
    )
    assert result["high_skilled_share"]["high"] == total.high
    assert result["high_skilled_share"]["skilled"] == total.skilled
    assert result["high_skilled_share"]["goal"] == 0.33
    assert result["high_skilled_share"]["value"] is None  # no official total entered
    assert result["high_skilled_share"]["status"] == "no_official"
    assert result["high_skilled_share"]["registry_share"] == pytest.approx(
        total.high / total.skilled, abs=1e-4
    )
    from gongjiang.carriers.selectors import carriers_toward_target_count
    from gongjiang.schools.selectors import teacher_share

    assert result["new_carriers"] == {
        **result["new_carriers"],
        "value": carriers_toward_target_count(),
        "goal": 20,
        "available": True,
    }
    assert result["teacher_share"]["goal"] == 0.9
    assert result["teacher_share"]["value"] == teacher_share(user=SYSTEM)["value"]
    # No enterprise has two years of wage reports here: connected, but no figure and none made up.
    assert result["wage_growth"]["available"] is True
    assert (result["wage_growth"]["value"], result["wage_growth"]["judged"]) == (None, 0)
    assert result["by_region"] == {
        code: {
            "new_high_skilled": c.new_high,
            "high": c.high,
            "skilled": c.skilled,
            "share": round(c.share, 4),
        }
        for code, c in sorted(board.figures.by_region.items())
    }
    assert any("新增高技能人才" in line for line in lines[:-1])


def test_indicators_command_for_a_region_and_a_date(crafted):
    out = io.StringIO()
    call_command("indicators", "--json", "--region", "320771", "--on", "2026-01-01", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    expected = figures_from_raw(on=D(2026, 1, 1), region="320771")
    assert result["new_high_skilled"]["value"] == expected.total.new_high >= 1
    assert result["new_high_skilled"]["goal"] is None  # the 50,000 are the city's
    assert list(result["by_region"]) == ["320771"]
    out = io.StringIO()
    call_command("indicators", "--json", "--region", "320771", "--on", "2025-12-31", stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1])["new_high_skilled"]["value"] == 0
