"""The numbers behind the dashboard, computed two ways that must always agree:

- ``figures_from_tally``: from the aggregates (``Tally``), a few small reads — what pages use;
- ``figures_from_raw``: from the certificates and persons themselves, with the definitions of
  DESIGN.md applied in SQL at a given date — what ``manage.py indicators`` prints, what the
  baseline (2025-12-31) is computed with, and what the tests hold the aggregates to.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, F, IntegerField, QuerySet, Sum, Value, When

from gongjiang.talents.counting import counts_on_params, counts_on_sql

from .choices import Dimension, EmployerFlag
from .indicators import DEADLINE, START, month_start


@dataclass
class Counts:
    skilled: int = 0
    high: int = 0
    new_high: int = 0

    def add(self, skilled: int, high: int, new_high: int) -> None:
        self.skilled += skilled
        self.high += high
        self.new_high += new_high

    @property
    def share(self) -> float | None:
        return self.high / self.skilled if self.skilled else None

    def as_dict(self) -> dict[str, int]:
        return {"skilled": self.skilled, "high": self.high, "new_high": self.new_high}


def _counts_dict():
    return defaultdict(Counts)


@dataclass
class Figures:
    """Every count the dashboard shows, for one scope at one date. Keys are codes: region codes,
    domain codes ('' = not filled in), level codes, organisation kinds ('' = no employer),
    employer flags, occupation codes ('' = not filled in)."""

    on: datetime.date
    total: Counts = field(default_factory=Counts)
    by_region: dict[str, Counts] = field(default_factory=_counts_dict)
    by_domain: dict[str, Counts] = field(default_factory=_counts_dict)
    by_level: dict[str, Counts] = field(default_factory=_counts_dict)
    by_employer_kind: dict[str, Counts] = field(default_factory=_counts_dict)
    by_flag: dict[str, Counts] = field(default_factory=_counts_dict)
    by_occupation: dict[str, Counts] = field(default_factory=_counts_dict)
    # New high-skilled talents by the month (first day) they became so, city or scope wide and per region.
    new_by_month: dict[datetime.date, int] = field(default_factory=lambda: defaultdict(int))
    new_by_region_month: dict[tuple[str, datetime.date], int] = field(
        default_factory=lambda: defaultdict(int)
    )

    def as_dict(self) -> dict:
        """A plain comparable form (empty groups dropped), for tests and JSON."""

        def plain(groups: dict[str, Counts]) -> dict[str, dict[str, int]]:
            return {k: v.as_dict() for k, v in sorted(groups.items()) if v.skilled or v.high or v.new_high}

        return {
            "total": self.total.as_dict(),
            "by_region": plain(self.by_region),
            "by_domain": plain(self.by_domain),
            "by_level": plain(self.by_level),
            "by_employer_kind": plain(self.by_employer_kind),
            "by_flag": plain(self.by_flag),
            "by_occupation": plain(self.by_occupation),
            "new_by_month": {m.isoformat(): n for m, n in sorted(self.new_by_month.items()) if n},
            "new_by_region_month": {
                f"{r}@{m.isoformat()}": n for (r, m), n in sorted(self.new_by_region_month.items()) if n
            },
        }


def new_high_cap(on: datetime.date) -> datetime.date:
    """The last day counted for 新增高技能人才 on ``on``: the day itself, or the deadline after it."""
    return min(on, DEADLINE)


# --- from the aggregates ---------------------------------------------------------------------


def figures_from_tally(tally: QuerySet, *, on: datetime.date) -> Figures:
    """The figures from ``tally`` (already scoped and, if asked, narrowed to a region) on ``on``:
    stocks as of the last refresh, new high-skilled talents up to the month of ``on``. Two queries
    over a few thousand rows."""
    cap = month_start(new_high_cap(on))
    new_high = Sum(
        Case(When(since__isnull=False, since__lte=cap, then=F("high")), default=Value(0)),
        output_field=IntegerField(),
    )
    figures = Figures(on=on)
    targets = {
        Dimension.REGION: figures.by_region,
        Dimension.DOMAIN: figures.by_domain,
        Dimension.LEVEL: figures.by_level,
        Dimension.EMPLOYER_KIND: figures.by_employer_kind,
        Dimension.FLAG: figures.by_flag,
        Dimension.OCCUPATION: figures.by_occupation,
    }
    rows = (
        tally.order_by()
        .values_list("dimension", "key")
        .annotate(skilled_sum=Sum("skilled"), high_sum=Sum("high"), new_sum=new_high)
    )
    for dimension, key, skilled, high, new in rows:
        targets[dimension][key].add(skilled, high, new)
        if dimension == Dimension.REGION:
            figures.total.add(skilled, high, new)
    monthly = (
        tally.order_by()
        .filter(dimension=Dimension.REGION, since__isnull=False, since__lte=cap)
        .values_list("region_id", "since")
        .annotate(n=Sum("high"))
    )
    for region, since, n in monthly:
        figures.new_by_month[since] += n
        figures.new_by_region_month[(region, since)] += n
    return figures


# --- from the raw rows -----------------------------------------------------------------------


def month_sql(column: str) -> str:
    """SQL for the first day of ``column``'s month (PostgreSQL and SQLite)."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def year_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('year', {column}) AS date)"
    return f"date({column}, 'start of year')"


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _persons_at_sql(region: str | None) -> str:
    """Per person on a date: the highest level and the high-skilled date, from the certificates that
    count on that date (talents.counting, the one rule); introduced talents count from their
    introduction. Parameters: on, on (the rule's), on, [region]."""
    where_region = "AND p.region_id = %s" if region else ""
    sql = f"""
        SELECT p.id AS person_id, p.region_id, p.domain_id, p.occupation_id, p.employer_id, lv.code AS level_id,
               CASE WHEN agg.first_high IS NULL THEN NULL
                    WHEN p.introduced_on > agg.first_high THEN p.introduced_on
                    ELSE agg.first_high END AS since
        FROM (
            SELECT c.person_id, MAX(l.rank) AS top_rank,
                   MIN(CASE WHEN l.is_high_skilled THEN c.issue_date END) AS first_high
            FROM talents_certificate c
            JOIN core_skilllevel l ON l.code = c.level_id
            WHERE {counts_on_sql("c")}
            GROUP BY c.person_id
        ) agg
        JOIN talents_person p ON p.id = agg.person_id
        JOIN core_skilllevel lv ON lv.rank = agg.top_rank
        WHERE (p.introduced_on IS NULL OR p.introduced_on <= %s) {where_region}
    """
    return sql


def figures_from_raw(*, on: datetime.date, region: str | None = None) -> Figures:
    """The figures recomputed from ``talents_certificate`` and ``talents_person`` on ``on`` (all
    regions, or one). A certificate counts on ``on`` by the one rule (talents.counting: not
    revoked, with a level, issued by ``on``, not expired by ``on``); a person counts once; 新增
    counts the persons whose high-skilled date lies in 2026-01-01 … min(on, 2030-12-31)."""
    cap = new_high_cap(on)
    persons = _persons_at_sql(region)
    params = [*counts_on_params(on), on, *([region] if region else [])]
    high = "CASE WHEN x.since IS NOT NULL AND x.since <= %s THEN 1 ELSE 0 END"
    new_month = f"CASE WHEN x.since >= %s AND x.since <= %s THEN {month_sql('x.since')} END"
    figures = Figures(on=on)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT x.region_id, COALESCE(x.domain_id, ''), x.level_id, COALESCE(o.kind, ''),
                   COALESCE(o.is_chain_leader, FALSE), COALESCE(o.is_specialised, FALSE),
                   COALESCE(o.is_state_owned, FALSE), {high} AS high, {new_month} AS month, COUNT(*)
            FROM ({persons}) x
            LEFT JOIN orgs_organisation o ON o.id = x.employer_id
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            """,
            [on, START, cap, *params],
        )
        for region_id, domain, level, kind, chain, specialised, state, is_high, month, n in cursor.fetchall():
            month = _as_date(month)
            high_n = n if is_high else 0
            new_n = n if month is not None else 0
            for groups, key in (
                (figures.by_region, region_id),
                (figures.by_domain, domain),
                (figures.by_level, level),
                (figures.by_employer_kind, kind),
            ):
                groups[key].add(n, high_n, new_n)
            for flag, on_flag in (
                (EmployerFlag.CHAIN_LEADER, chain),
                (EmployerFlag.SPECIALISED, specialised),
                (EmployerFlag.STATE_OWNED, state),
            ):
                if on_flag:
                    figures.by_flag[flag].add(n, high_n, new_n)
            figures.total.add(n, high_n, new_n)
            if month is not None:
                figures.new_by_month[month] += n
                figures.new_by_region_month[(region_id, month)] += n
        cursor.execute(
            f"""
            SELECT COALESCE(x.occupation_id, ''), {high} AS high,
                   CASE WHEN x.since >= %s AND x.since <= %s THEN 1 ELSE 0 END AS new, COUNT(*)
            FROM ({persons}) x
            GROUP BY 1, 2, 3
            """,
            [on, START, cap, *params],
        )
        for occupation, is_high, is_new, n in cursor.fetchall():
            figures.by_occupation[occupation].add(n, n if is_high else 0, n if is_new else 0)
    return figures
