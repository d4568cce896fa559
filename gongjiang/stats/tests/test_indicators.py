"""Pace, projection and status arithmetic on crafted series (no database)."""

import datetime

import pytest

from gongjiang.stats.choices import Status
from gongjiang.stats.indicators import (
    HIGH_SKILLED_SHARE,
    NEW_HIGH_SKILLED,
    complete_months,
    evaluate,
    pace,
    project_count,
    project_from_start,
    project_share,
    status,
)

D = datetime.date
TOTAL_DAYS = (D(2030, 12, 31) - D(2025, 12, 31)).days  # 1826


def test_pace_is_a_straight_line_from_the_baseline_to_the_goal():
    assert pace(baseline=0, goal=50_000, on=D(2025, 12, 31)) == 0
    assert pace(baseline=0, goal=50_000, on=D(2030, 12, 31)) == 50_000
    assert pace(baseline=0, goal=50_000, on=D(2026, 12, 31)) == pytest.approx(50_000 * 365 / TOTAL_DAYS)
    assert pace(baseline=0.30, goal=0.33, on=D(2028, 7, 1)) == pytest.approx(
        0.30 + 0.03 * (D(2028, 7, 1) - D(2025, 12, 31)).days / TOTAL_DAYS
    )
    # Before the start it stays at the baseline, after the deadline at the goal.
    assert pace(baseline=0.3, goal=0.33, on=D(2025, 6, 1)) == 0.3
    assert pace(baseline=0.3, goal=0.33, on=D(2031, 6, 1)) == 0.33


def test_complete_months_are_the_last_six_whole_months_of_2026_or_later():
    assert complete_months(D(2026, 1, 15)) == []
    assert complete_months(D(2026, 3, 31)) == [D(2026, 1, 1), D(2026, 2, 1)]
    assert complete_months(D(2026, 11, 24)) == [D(2026, m, 1) for m in range(5, 11)]
    assert complete_months(D(2027, 2, 1)) == [
        D(2026, 8, 1),
        D(2026, 9, 1),
        D(2026, 10, 1),
        D(2026, 11, 1),
        D(2026, 12, 1),
        D(2027, 1, 1),
    ]


def test_projection_of_new_high_skilled_uses_the_daily_rate_of_the_last_six_complete_months():
    # 1,000 a month in May–October 2026 (184 days), nothing counted from the current month.
    monthly = {D(2026, m, 1): 1000 for m in range(1, 12)}
    on = D(2026, 11, 24)
    rate = 6000 / 184
    assert project_count(value=10_500, monthly=monthly, on=on) == pytest.approx(
        10_500 + rate * (D(2030, 12, 31) - on).days
    )
    # Older months do not weigh: a burst in January changes nothing.
    monthly[D(2026, 1, 1)] = 99_999
    assert project_count(value=10_500, monthly=monthly, on=on) == pytest.approx(
        10_500 + rate * (D(2030, 12, 31) - on).days
    )
    # A missing month counts as zero.
    del monthly[D(2026, 7, 1)]
    assert project_count(value=10_500, monthly=monthly, on=on) == pytest.approx(
        10_500 + 5000 / 184 * (D(2030, 12, 31) - on).days
    )


def test_no_projection_before_the_first_complete_month_and_the_value_itself_after_the_deadline():
    assert project_count(value=12, monthly={D(2026, 1, 1): 12}, on=D(2026, 1, 20)) is None
    assert project_count(value=48_000, monthly={}, on=D(2031, 1, 5)) == 48_000


def test_projection_from_start_extends_the_average_pace():
    on = D(2026, 12, 31)
    assert project_from_start(value=4, on=on) == pytest.approx(4 * TOTAL_DAYS / 365)
    assert project_from_start(value=4, on=D(2025, 12, 31)) is None


def test_share_projection_uses_a_regression_over_recent_snapshots():
    on = D(2026, 11, 30)
    # A perfectly linear rise of 0.0001 a day over 60 days.
    series = [(on - datetime.timedelta(days=d), 0.31 - 0.0001 * d) for d in range(60, -1, -1)]
    projected = project_share(value=0.31, on=on, baseline=0.25, series=series)
    assert projected == pytest.approx(0.31 + 0.0001 * (D(2030, 12, 31) - on).days)
    # Snapshots older than half a year are ignored.
    old = [(D(2026, 1, 15), 0.9)]
    assert project_share(value=0.31, on=on, baseline=0.25, series=old + series) == pytest.approx(projected)


def test_share_projection_falls_back_to_the_line_from_the_baseline_and_stays_within_0_and_1():
    on = D(2026, 12, 31)
    # One snapshot only: the change since 2025-12-31 goes on.
    assert project_share(value=0.32, on=on, baseline=0.30, series=[(on, 0.32)]) == pytest.approx(
        0.30 + 0.02 * TOTAL_DAYS / 365
    )
    assert project_share(value=0.9, on=on, baseline=0.1, series=[]) == 1.0
    assert project_share(value=0.05, on=on, baseline=0.5, series=[]) == 0.0
    assert project_share(value=0.3, on=on, baseline=None, series=[]) is None


def test_status_and_gap_against_the_pace_with_a_tolerance():
    assert status(value=10_000, pace_value=9_000, tolerance=500) == (Status.AHEAD, 1_000)
    assert status(value=8_600, pace_value=9_000, tolerance=500) == (Status.ON_PACE, -400)
    assert status(value=8_000, pace_value=9_000, tolerance=500) == (Status.BEHIND, -1_000)
    assert status(value=None, pace_value=9_000, tolerance=500) == (Status.UNKNOWN, None)


def test_evaluate_puts_it_together():
    on = D(2026, 12, 31)
    new = evaluate(NEW_HIGH_SKILLED, value=8_000, on=on, baseline=0)
    assert new.goal == 50_000
    assert new.pace == pytest.approx(50_000 * 365 / TOTAL_DAYS)  # 9,994.5
    assert new.status == Status.BEHIND
    assert new.gap == pytest.approx(8_000 - 50_000 * 365 / TOTAL_DAYS)
    region = evaluate(NEW_HIGH_SKILLED, value=800, on=on, baseline=None, goal=None)
    assert (region.goal, region.pace, region.status) == (None, None, Status.UNKNOWN)
    share = evaluate(HIGH_SKILLED_SHARE, value=0.309, on=on, baseline=0.30)
    assert share.pace == pytest.approx(0.30 + 0.03 * 365 / TOTAL_DAYS)
    assert share.status == Status.ON_PACE  # 0.309 vs 0.306: within half a point
    assert "进度线" in share.definition and "高技能人才数 ÷ 全市技能劳动者总量" in share.definition
