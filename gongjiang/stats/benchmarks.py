"""python manage.py bench dashboard [--persons N] [--certificates M] [--requests R] [--keep]

Fills a dedicated PostgreSQL database (``gongjiang_bench_dashboard``) with N persons (default
2,000,000) and about M certificates (default 5,000,000), generated with SQL and consistent with
the persons' derived fields (highest level, high-skilled date), then:

- builds the aggregates once (``full_refresh_s``) and the baseline (``baseline_s``);
- measures the dashboard's server time as the city admin and a region operator load it
  (django.test.Client, same process): ``p50_ms``, ``p95_ms`` over R requests (default 50);
- times the raw GROUP BY queries over the persons that compute the same numbers
  (``raw_query_ms``) and the full recompute from the certificates (``raw_certificates_ms``),
  and checks that both agree with the dashboard (``consistent``);
- imports 10,000 roster rows through the real import pipeline (``import_s``) and times bringing
  the aggregates up to date afterwards (``update_s``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from gongjiang.common.benchmarking import run_in_bench_database

DB = "gongjiang_bench_dashboard"
REGIONS = "ARRAY['320703','320706','320706','320706','320707','320707','320722','320723','320724','320771','LYG-XW','LYG-GX']"
DOMAINS = (
    "ARRAY['advanced_manufacturing','digital_economy','low_altitude_economy','transportation',"
    "'agriculture_rural','life_services']"
)
# Highest level by person: a pyramid with about a third high-skilled.
TOP_LEVELS = "ARRAY['GRADE5','GRADE5','GRADE5','GRADE4','GRADE4','GRADE4','GRADE4','GRADE3','GRADE3','GRADE2','GRADE3','GRADE1','GRADE4','GRADE2','GRADE5','GRADE3','GRADE4','GRADE5','GRADE3','SPECIAL']"


def _log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def dashboard(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="bench dashboard")
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--certificates", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="reuse the data of an earlier run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        return _measure(options)
    return run_in_bench_database(
        database=DB, name="dashboard", argv=argv, keep=options.keep, env={"GONGJIANG_TASKS_IMMEDIATE": "0"}
    )


def _generate(persons: int, certificates: int) -> None:
    """Persons over the regions, domains, employers and levels, with their certificates: one at the
    highest level (the date that makes them high-skilled when it is 高级工 or above), lower ones
    before it, 专项职业能力 certificates and revoked high certificates that count for nothing."""
    import random

    from django.db import connection

    from gongjiang.common.demo import make_resident_id
    from gongjiang.core.crypto import encrypt

    rng = random.Random(3)
    ciphers = [encrypt(make_resident_id(rng)) for _ in range(1000)]
    days = (time.localtime().tm_year - 2010) * 365 + time.localtime().tm_yday - 5
    # Extra certificates per person beyond the top one, to reach the wanted total.
    extra = max(0.0, certificates / persons - 0.95)
    t0 = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_cipher (i int, c text)")
        with cursor.cursor.copy("COPY bench_cipher (i, c) FROM STDIN") as copy:
            for i, c in enumerate(ciphers):
                copy.write_row((i, c))
        orgs = max(30, persons // 40)
        cursor.execute(
            f"""
            INSERT INTO orgs_organisation (name, uscc, kind, region_id, domain_id, size, is_chain_leader,
                is_industry_leader, is_specialised, is_state_owned, address, contact_name, created_at, updated_at)
            SELECT '基准企业' || g, 'B' || lpad(g::text, 17, '0'),
                   CASE WHEN g % 200 = 0 THEN 'technical_school' WHEN g % 201 = 0 THEN 'vocational_school'
                        ELSE 'enterprise' END,
                   ({REGIONS})[1 + g % 12], ({DOMAINS})[1 + g % 6],
                   'small', g % 25 = 0, g % 17 = 0, g % 8 = 0, g % 12 = 0, '', '', now(), now()
            FROM generate_series(1, {int(orgs)}) g
            """
        )
        cursor.execute("SELECT min(id) FROM orgs_organisation")
        first_org = cursor.fetchone()[0]
        _log(f"organisations: {orgs} in {time.monotonic() - t0:.0f}s")
        # 5% without any levelled certificate; the rest by TOP_LEVELS; top date spread over
        # 2010 … today (about 5% of them in 2026).
        cursor.execute(
            f"""
            INSERT INTO talents_person (name, id_cipher, id_digest, phone_cipher, phone_digest, birth_date, gender,
                region_id, employer_id, occupation_id, domain_id, introduced_on, highest_level_id, is_high_skilled,
                high_skilled_since, created_at, updated_at)
            SELECT (ARRAY['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + g % 10] ||
                   (ARRAY['伟','芳','娜','敏','静','强','磊','军','洋','勇','艳','杰'])[1 + (g / 10) % 12],
                   c.c, md5(g::text) || md5((g * 7)::text), '', '',
                   date '1965-01-01' + (g % 13000), CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END,
                   ({REGIONS})[1 + (g * 7) % 12],
                   CASE WHEN g % 11 = 0 THEN NULL ELSE {int(first_org)} + (g * 13) % {int(orgs)} END,
                   (ARRAY['6-18-01','6-18-02','4-02-06','4-12-01','6-31-01','6-24-02','6-25-04','4-02-05',
                          '6-10-01','6-11-01','6-17-02','6-22-01','6-23-02','6-28-01','6-29-03'])[1 + (g * 3) % 15],
                   ({DOMAINS})[1 + (g * 5) % 6], NULL,
                   lv.code, lv.high, CASE WHEN lv.high THEN lv.day END, now(), now()
            FROM generate_series(1, {int(persons)}) g
            JOIN bench_cipher c ON c.i = g % 1000
            JOIN LATERAL (
                SELECT CASE WHEN g % 20 = 7 THEN NULL ELSE ({TOP_LEVELS})[1 + (g / 3) % 20] END AS code,
                       g % 20 <> 7 AND ({TOP_LEVELS})[1 + (g / 3) % 20] IN ('GRADE3','GRADE2','GRADE1','SPECIAL') AS high,
                       date '2010-01-01' + ((g::bigint * 7919) % {int(days)})::int AS day
            ) lv ON true
            """
        )
        _log(f"persons: {persons} in {time.monotonic() - t0:.0f}s")
        # Certificates: the top one; lower (non-high) ones earlier; 专项职业能力; revoked high ones.
        cursor.execute(
            f"""
            INSERT INTO talents_certificate (person_id, cert_type_id, level_id, occupation_id, occupation_name, number,
                issuer, issue_date, status, source, revoked_reason, created_at)
            SELECT p.id, CASE WHEN p.highest_level_id = 'SPECIAL' THEN 'appointment' ELSE 'skill_level' END,
                   p.highest_level_id, NULL, '焊工', 'T' || p.id, '基准评价机构',
                   COALESCE(p.high_skilled_since, date '2010-01-01' + (p.id % {int(days)})::int), 'valid', 'import',
                   '', now()
            FROM talents_person p WHERE p.highest_level_id IS NOT NULL
            UNION ALL
            SELECT p.id, 'skill_level',
                   CASE WHEN p.id % 2 = 0 OR p.highest_level_id = 'GRADE5' THEN 'GRADE5' ELSE 'GRADE4' END, NULL, '焊工',
                   'L' || p.id || '-' || k, '基准评价机构',
                   date '2003-01-01' + ((p.id::bigint * 31 + k) % 2500)::int, 'valid', 'import', '', now()
            FROM talents_person p
            JOIN generate_series(1, 3) k ON (p.id * 37 + k * 101) % 1000 < {int(extra / 3.6 * 1000)}
            WHERE p.highest_level_id IS NOT NULL
            UNION ALL
            SELECT p.id, 'special_ability', NULL, NULL, '电子商务', 'Z' || p.id, '基准鉴定中心',
                   date '2012-01-01' + (p.id % 5000)::int, 'valid', 'import', '', now()
            FROM talents_person p WHERE p.id % 5 = 0
            UNION ALL
            SELECT p.id, 'skill_level', 'GRADE2', NULL, '焊工', 'R' || p.id, '基准评价机构',
                   date '2008-01-01' + (p.id % 700)::int, 'revoked', 'import', '核查不符', now()
            FROM talents_person p WHERE p.id % 7 = 0
            """
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM talents_certificate")
        _log(f"certificates: {cursor.fetchone()[0]} in {time.monotonic() - t0:.0f}s")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))]


def _time_pages(user, requests: int) -> list[float]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    for _ in range(3):  # warm
        assert client.get("/stats/").status_code == 200
    times = []
    for _ in range(requests):
        t = time.perf_counter()
        response = client.get("/stats/")
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200
    return times


def _raw_person_groupby_ms() -> float:
    """The GROUP BY queries over ``talents_person`` (joined to the employers) that give the same
    numbers as the aggregates, the way a dashboard without them would have to run per request."""
    from django.db import connection

    from gongjiang.stats.figures import month_sql, year_sql
    from gongjiang.stats.indicators import DEADLINE, START

    since = (
        f"CASE WHEN p.high_skilled_since >= %s AND p.high_skilled_since <= %s "
        f"THEN {month_sql('p.high_skilled_since')} END"
    )
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT p.region_id, COALESCE(p.domain_id, ''), p.highest_level_id, COALESCE(o.kind, ''),
                   COALESCE(o.is_chain_leader, FALSE), COALESCE(o.is_specialised, FALSE),
                   COALESCE(o.is_state_owned, FALSE), {since}, COUNT(*),
                   SUM(CASE WHEN p.is_high_skilled THEN 1 ELSE 0 END)
            FROM talents_person p LEFT JOIN orgs_organisation o ON o.id = p.employer_id
            WHERE p.highest_level_id IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            """,
            [START, DEADLINE],
        )
        cursor.fetchall()
        cursor.execute(
            f"""
            SELECT COALESCE(p.occupation_id, ''), p.region_id,
                   CASE WHEN p.high_skilled_since >= %s AND p.high_skilled_since <= %s
                        THEN {year_sql("p.high_skilled_since")} END,
                   COUNT(*), SUM(CASE WHEN p.is_high_skilled THEN 1 ELSE 0 END)
            FROM talents_person p WHERE p.highest_level_id IS NOT NULL GROUP BY 1, 2, 3
            """,
            [START, DEADLINE],
        )
        cursor.fetchall()
    return (time.perf_counter() - t) * 1000


def _import_rows(user, rows: int) -> float:
    import csv
    import datetime

    from django.conf import settings

    from gongjiang.jobs.benchmarks import HEADERS, roster_rows
    from gongjiang.jobs.services import import_run_file

    path = Path(settings.VAR_DIR) / "bench" / f"dashboard-roster-{rows}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for row in roster_rows(rows, seed=int(time.time())):
            writer.writerow(
                ["" if v is None else (v.isoformat() if isinstance(v, datetime.date) else v) for v in row]
            )
    t = time.perf_counter()
    job = import_run_file(actor=user, kind="roster", path=path)
    seconds = time.perf_counter() - t
    path.unlink(missing_ok=True)
    _log(f"import: {job.status} {job.result}")
    return seconds


def _measure(options) -> dict:
    from django.db import connection

    from gongjiang.accounts.models import User
    from gongjiang.stats.figures import figures_from_raw
    from gongjiang.stats.models import Tally
    from gongjiang.stats.selectors import dashboard
    from gongjiang.stats.services import aggregates_refresh, baseline_refresh
    from gongjiang.talents.models import Certificate, Person

    if connection.vendor != "postgresql":
        raise SystemExit("dashboard benchmark needs PostgreSQL")
    if not Person.objects.exists():
        _generate(options.persons, options.certificates)
    persons = Person.objects.count()
    certificates = Certificate.objects.count()
    city, _ = User.objects.get_or_create(username="bench-city", defaults={"role": "city_admin"})
    region, _ = User.objects.get_or_create(
        username="bench-haizhou", defaults={"role": "region_operator", "region_id": "320706"}
    )

    t = time.perf_counter()
    state = aggregates_refresh(trigger="command")
    full_refresh_s = time.perf_counter() - t
    t = time.perf_counter()
    baseline_refresh()
    baseline_s = time.perf_counter() - t
    _log(f"aggregates: {Tally.objects.count()} rows in {full_refresh_s:.2f}s; baseline {baseline_s:.2f}s")

    city_times = _time_pages(city, options.requests)
    region_times = _time_pages(region, options.requests)
    _log(
        f"dashboard city p50 {statistics.median(city_times):.1f} ms, region p50 {statistics.median(region_times):.1f} ms"
    )

    raw_ms = statistics.median(_raw_person_groupby_ms() for _ in range(3))
    t = time.perf_counter()
    raw = figures_from_raw(on=state.as_of.date())
    raw_certificates_ms = (time.perf_counter() - t) * 1000
    shown = dashboard(user=city)
    consistent = shown.figures.as_dict() == raw.as_dict()
    _log(
        f"raw person GROUP BY {raw_ms:.0f} ms; raw from certificates {raw_certificates_ms:.0f} ms; equal: {consistent}"
    )

    import_s = _import_rows(city, 10_000)
    t = time.perf_counter()
    aggregates_refresh(trigger="change")
    update_s = time.perf_counter() - t
    after = dashboard(user=city).figures.total
    _log(f"after import: {after.as_dict()}; update {update_s:.2f}s")

    return {
        "database": "postgresql",
        "persons": persons,
        "certificates": certificates,
        "tally_rows": Tally.objects.count(),
        "requests": options.requests,
        "p50_ms": round(statistics.median(city_times), 1),
        "p95_ms": round(_percentile(city_times, 0.95), 1),
        "region_p50_ms": round(statistics.median(region_times), 1),
        "region_p95_ms": round(_percentile(region_times, 0.95), 1),
        "raw_query_ms": round(raw_ms, 1),
        "raw_certificates_ms": round(raw_certificates_ms, 1),
        "consistent": consistent,
        "full_refresh_s": round(full_refresh_s, 2),
        "baseline_s": round(baseline_s, 2),
        "import_rows": 10_000,
        "import_s": round(import_s, 2),
        "update_s": round(update_s, 2),
    }


BENCHMARKS = {"dashboard": dashboard}
