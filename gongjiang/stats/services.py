"""Writes of the stats app: rebuilding the aggregates, the baseline, and the official totals.

The aggregates are rebuilt set-based (delete + INSERT … SELECT … GROUP BY in one transaction) from
the persons' derived fields, which the talent database keeps up to date on every write. A change
to persons or organisations asks for a rebuild on commit; one background task serves a burst of
changes (``RefreshState.requested_at``).
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gongjiang.accounts.models import User
from gongjiang.accounts.scope import ensure_in_scope
from gongjiang.accounts.services import audit_record, model_changes

from .choices import Dimension, EmployerFlag, RefreshTrigger
from .figures import figures_from_raw, month_sql, new_high_cap, year_sql
from .indicators import BASE_DATE, DEADLINE, START, month_start
from .models import DailySnapshot, OfficialTotal, RefreshState, Tally, TargetSplit

TALLY = Tally._meta.db_table
SNAPSHOT = DailySnapshot._meta.db_table
_REFRESH_LOCK_KEY = 0x73746174  # "stat": one rebuild at a time on PostgreSQL (SQLite serialises writes)
# A request older than this whose task never ran (a lost queue entry) is queued again.
REQUEST_STALE = datetime.timedelta(minutes=10)
BASELINE_MAX_AGE = datetime.timedelta(hours=1)


def _state_row() -> None:
    RefreshState.objects.get_or_create(pk=1)


def aggregates_request_refresh(*, trigger: str = RefreshTrigger.CHANGE) -> bool:
    """Queue a background rebuild unless one is already waiting. Called on commit of every change
    to persons, certificates or organisations; True when a task was queued."""
    from .tasks import aggregates_refresh_task

    _state_row()
    now = timezone.now()
    claimed = (
        RefreshState.objects.filter(pk=1)
        .filter(Q(requested_at__isnull=True) | Q(requested_at__lt=now - REQUEST_STALE))
        .update(requested_at=now)
    )
    if claimed:
        aggregates_refresh_task.enqueue(trigger=str(trigger))
    return bool(claimed)


@transaction.atomic
def aggregates_refresh_manual(*, actor: User) -> bool:
    """The city admin's 刷新 button: queue a rebuild now (audited)."""
    queued = aggregates_request_refresh(trigger=RefreshTrigger.MANUAL)
    audit_record(actor=actor, action="stats.refresh", object_type="stats.tally", changes={"queued": queued})
    return queued


def aggregates_refresh(*, trigger: str = RefreshTrigger.CHANGE) -> RefreshState:
    """Rebuild every ``Tally`` row and today's ``DailySnapshot`` rows from ``talents_person`` (joined
    to the employers for their kind and flags); record ``as_of``. Readers see the old rows until
    the new ones are committed.

    Two GROUP BY reads over the persons (plain SELECTs, so PostgreSQL may run them in parallel,
    which it never does for INSERT … SELECT) give a few thousand fine groups; they are rolled up
    into the dimensions here and written back in one short transaction. The reads come first and
    outside it: on SQLite a write transaction holds the database's one write lock, which every
    page that saves anything waits for, so it only lasts as long as the writing (issue 18). A
    change committed after the reads began asks for the next rebuild; a rebuild whose reads began
    before those of one already written leaves that one in place."""
    _state_row()
    # Cleared before reading, in its own statement: a change committed from now on asks again.
    RefreshState.objects.filter(pk=1).update(requested_at=None)
    started = time.monotonic()
    as_of = timezone.now()
    today = timezone.localdate(as_of)
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:  # one snapshot; takes no lock
            cursor.execute("SET LOCAL work_mem = '128MB'")
            fine, occupations = _read_groups(cursor)
    else:  # an atomic block on SQLite begins IMMEDIATE, i.e. takes the write lock
        with connection.cursor() as cursor:
            fine, occupations = _read_groups(cursor)
    rows = _tally_rows(fine, occupations)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFRESH_LOCK_KEY])
        written = RefreshState.objects.filter(pk=1).values_list("as_of", flat=True).first()
        if written is not None and written > as_of:  # a rebuild that read later already wrote
            return RefreshState.objects.get(pk=1)
        cursor.execute(f"DELETE FROM {TALLY}")
        Tally.objects.bulk_create(rows, batch_size=2000)
        cursor.execute(f"DELETE FROM {SNAPSHOT} WHERE date = %s", [today])
        cursor.execute(
            f"""
            INSERT INTO {SNAPSHOT} (date, region_id, skilled, high, new_high_skilled)
            SELECT %s, region_id, SUM(skilled), SUM(high),
                   SUM(CASE WHEN since IS NOT NULL AND since <= %s THEN high ELSE 0 END)
            FROM {TALLY} WHERE dimension = %s
            GROUP BY region_id
            """,
            [today, month_start(new_high_cap(today)), str(Dimension.REGION)],
        )
        RefreshState.objects.filter(pk=1).update(
            as_of=as_of, seconds=round(time.monotonic() - started, 3), trigger=str(trigger)
        )
    return RefreshState.objects.get(pk=1)


def _read_groups(cursor) -> tuple[list[tuple], list[tuple]]:
    """The fine groups of the persons with a level: by region, domain, level, employer kind and
    flags and month of becoming high-skilled; and by occupation, region and year."""
    since = "CASE WHEN p.high_skilled_since >= %s AND p.high_skilled_since <= %s THEN {} END"
    cursor.execute(
        f"""
        SELECT p.region_id, COALESCE(p.domain_id, ''), p.highest_level_id, COALESCE(o.kind, ''),
               COALESCE(o.is_chain_leader, FALSE), COALESCE(o.is_specialised, FALSE),
               COALESCE(o.is_state_owned, FALSE), {since.format(month_sql("p.high_skilled_since"))},
               COUNT(*), SUM(CASE WHEN p.is_high_skilled THEN 1 ELSE 0 END)
        FROM talents_person p
        LEFT JOIN orgs_organisation o ON o.id = p.employer_id
        WHERE p.highest_level_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        """,
        [START, DEADLINE],
    )
    fine = cursor.fetchall()
    cursor.execute(
        f"""
        SELECT COALESCE(p.occupation_id, ''), p.region_id, {since.format(year_sql("p.high_skilled_since"))},
               COUNT(*), SUM(CASE WHEN p.is_high_skilled THEN 1 ELSE 0 END)
        FROM talents_person p
        WHERE p.highest_level_id IS NOT NULL
        GROUP BY 1, 2, 3
        """,
        [START, DEADLINE],
    )
    return fine, cursor.fetchall()


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _tally_rows(fine: list[tuple], occupations: list[tuple]) -> list[Tally]:
    """Roll the fine groups up into one row per (dimension, key, region, since)."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for region, domain, level, kind, chain, specialised, state, since, skilled, high in fine:
        since = _as_date(since)
        keys = [
            (Dimension.REGION, region),
            (Dimension.DOMAIN, domain),
            (Dimension.LEVEL, level),
            (Dimension.EMPLOYER_KIND, kind),
        ]
        for flag, on_flag in (
            (EmployerFlag.CHAIN_LEADER, chain),
            (EmployerFlag.SPECIALISED, specialised),
            (EmployerFlag.STATE_OWNED, state),
        ):
            if on_flag:
                keys.append((Dimension.FLAG, flag))
        for dimension, key in keys:
            total = sums[(str(dimension), str(key), region, since)]
            total[0] += skilled
            total[1] += high
    for occupation, region, since, skilled, high in occupations:
        total = sums[(str(Dimension.OCCUPATION), occupation, region, _as_date(since))]
        total[0] += skilled
        total[1] += high
    return [
        Tally(dimension=dimension, key=key, region_id=region, since=since, skilled=skilled, high=high)
        for (dimension, key, region, since), (skilled, high) in sums.items()
    ]


@transaction.atomic
def baseline_refresh() -> None:
    """Recompute the baseline (every region's stock on 2025-12-31) from the certificates: a roster
    imported today may hold certificates issued years ago, so the baseline moves with the data."""
    figures = figures_from_raw(on=BASE_DATE)
    DailySnapshot.objects.filter(date=BASE_DATE).delete()
    DailySnapshot.objects.bulk_create(
        DailySnapshot(date=BASE_DATE, region_id=code, skilled=c.skilled, high=c.high, new_high_skilled=0)
        for code, c in figures.by_region.items()
    )
    _state_row()
    RefreshState.objects.filter(pk=1).update(baseline_at=timezone.now(), baseline_due=None)


@transaction.atomic
def snapshots_backfill(*, days: list[datetime.date]) -> int:
    """Write the daily snapshots of past ``days`` recomputed from the certificates (what a refresh on
    that day would have recorded, as far as today's data tell): gives the share a trend from the day
    the platform is installed. Returns the number of rows written."""
    written = 0
    for day in days:
        figures = figures_from_raw(on=day)
        DailySnapshot.objects.filter(date=day).delete()
        rows = [
            DailySnapshot(
                date=day, region_id=code, skilled=c.skilled, high=c.high, new_high_skilled=c.new_high
            )
            for code, c in figures.by_region.items()
        ]
        DailySnapshot.objects.bulk_create(rows)
        written += len(rows)
    return written


def stats_refresh_all(*, trigger: str = RefreshTrigger.COMMAND) -> RefreshState:
    """Aggregates, then baseline, at once: the command, the demo and the tests."""
    state = aggregates_refresh(trigger=trigger)
    baseline_refresh()
    return state


def stats_refresh_background(*, trigger: str = RefreshTrigger.CHANGE) -> RefreshState:
    """The background task after changes: the aggregates now; the baseline (a recompute from every
    certificate, tens of seconds at millions of rows) now if it is older than an hour, else once,
    an hour after the last one."""
    from .tasks import baseline_refresh_task

    state = aggregates_refresh(trigger=trigger)
    now = timezone.now()
    if state.baseline_at is None or state.baseline_at <= now - BASELINE_MAX_AGE:
        baseline_refresh()
    elif state.baseline_due is None:
        due = state.baseline_at + BASELINE_MAX_AGE
        if RefreshState.objects.filter(pk=1, baseline_due__isnull=True).update(baseline_due=due):
            task = baseline_refresh_task
            if task.get_backend().supports_defer:
                task = task.using(run_after=due)
            task.enqueue()
    return RefreshState.objects.get(pk=1)


@transaction.atomic
def official_total_save(
    *, actor: User, region_id: str, year: int, skilled_workers: int, source: str = ""
) -> OfficialTotal:
    """Enter or correct the official number of 技能劳动者 of a region in a year (one row each)."""
    total = OfficialTotal.objects.select_for_update().filter(region_id=region_id, year=year).first()
    before = (
        {"skilled_workers": total.skilled_workers, "source": total.source}
        if total
        else {"skilled_workers": None, "source": ""}
    )
    if total is None:
        total = OfficialTotal(region_id=region_id, year=year)
    total.skilled_workers = skilled_workers
    total.source = source.strip()
    total.updated_by = actor
    total.full_clean()
    total.save()
    ensure_in_scope(total, actor, "change")
    audit_record(
        actor=actor,
        action="official_total.save",
        obj=total,
        changes={
            "region": region_id,
            "year": year,
            **model_changes(before, {"skilled_workers": skilled_workers, "source": total.source}),
        },
    )
    return total


@transaction.atomic
def target_split_save(*, actor: User, target: str, region_id: str, goal: int) -> TargetSplit:
    """Enter or correct the part of a city-wide count target assigned to one county (one row per
    target and county); audited with the old and new goal."""
    split = TargetSplit.objects.select_for_update().filter(target=target, region_id=region_id).first()
    before = {"goal": split.goal if split else None}
    if split is None:
        split = TargetSplit(target=target, region_id=region_id)
    split.goal = goal
    split.updated_by = actor
    split.full_clean()
    split.save()
    ensure_in_scope(split, actor, "change")
    audit_record(
        actor=actor,
        action="target_split.save",
        obj=split,
        changes={"target": target, "region": region_id, **model_changes(before, {"goal": goal})},
    )
    return split
