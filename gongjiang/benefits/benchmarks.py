"""python manage.py bench entitlements [--persons N] [--certificates N] [--keep]

On PostgreSQL (a database of its own), with N persons and their certificates (the dashboard
bench's generator) and six policies (the demo file's cash policies and two services):
- ``full_s``: evaluating every policy for everyone (the engine's counts, writing nothing),
- ``grant_s``: making every offer on an empty entitlement table (免申即享, set-based),
- ``incremental_s``: after a 10,000-row roster import, making the offers of the persons it touched,
- ``limit_s``: one hand-written SQL count of the first policy's conditions, the raw limit, and
  ``ratio`` = limit_s ÷ the engine's time for that policy.
Goal: full < 20 s, incremental < 5 s at 10^6 persons and 2.5×10^6 certificates.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from gongjiang.common.benchmarking import run_in_bench_database

DB = "gongjiang_bench_entitlements"
POLICIES = (
    "HZ-SKILL-ALLOWANCE",
    "SKILL-UPGRADE-SUBSIDY",
    "TALENT-HOUSING-VOUCHER",
    "TALENT-LIVING-ALLOWANCE",
    "SERVICE-HUKOU",
    "SERVICE-FESTIVAL-VISIT",
)


def _log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def entitlements(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="bench entitlements")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--certificates", type=int, default=2_500_000)
    parser.add_argument("--keep", action="store_true", help="reuse the data of an earlier run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        return _measure(options)
    return run_in_bench_database(
        database=DB, name="entitlements", argv=argv, keep=options.keep, env={"GONGJIANG_TASKS_IMMEDIATE": "0"}
    )


def _limit_count(on) -> float:
    """The first policy's conditions written by hand in one statement: the raw limit."""
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COUNT(*) FROM (
                SELECT c.person_id FROM talents_certificate c
                JOIN core_skilllevel l ON l.code = c.level_id
                JOIN talents_person p ON p.id = c.person_id
                WHERE c.status <> 'revoked' AND c.issue_date <= %s AND (c.valid_until IS NULL OR c.valid_until >= %s)
                  AND c.cert_type_id IN ('qualification', 'skill_level', 'appointment')
                  AND c.level_id IN ('GRADE3', 'GRADE2', 'GRADE1', 'SPECIAL', 'CHIEF')
                  AND c.issue_date >= DATE '2024-05-01' AND p.region_id = '320706'
                  AND NOT EXISTS (SELECT 1 FROM talents_certificate e JOIN core_skilllevel el ON el.code = e.level_id
                      WHERE e.person_id = c.person_id AND e.id <> c.id AND e.status <> 'revoked'
                        AND el.rank >= l.rank AND e.issue_date < c.issue_date)
                GROUP BY c.person_id) q
            """,
            [on, on],
        )
        cursor.fetchone()
    return time.perf_counter() - t


def _measure(options) -> dict:
    from pathlib import Path

    from django.db import connection
    from django.utils import timezone

    from gongjiang.accounts.tests.factories import UserFactory
    from gongjiang.stats.benchmarks import _generate, _import_rows

    from .engine import summary
    from .models import BenefitPolicy, Entitlement
    from .selectors import policies_in_force
    from .services import entitlements_grant, policies_load

    on = timezone.localdate()
    if not BenefitPolicy.objects.exists():
        _generate(options.persons, options.certificates)
        text = (Path(__file__).parent / "demo_policies.json").read_text(encoding="utf-8")
        chosen = [p for p in json.loads(text) if p["code"] in POLICIES]
        policies_load(actor=None, text=json.dumps(chosen, ensure_ascii=False))
    Entitlement.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM talents_person")
        persons = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM talents_certificate")
        certificates = cursor.fetchone()[0]
    per_policy = {}
    t = time.perf_counter()
    for policy, spec in policies_in_force(on=on):
        p0 = time.perf_counter()
        counted = summary(spec, on)
        per_policy[policy.code] = {"eligible": counted.eligible, "s": round(time.perf_counter() - p0, 2)}
        _log(f"{policy.code}: {counted.eligible} in {per_policy[policy.code]['s']}s")
    full = time.perf_counter() - t
    limit = _limit_count(on)
    t = time.perf_counter()
    granted = entitlements_grant(on=on)
    grant = time.perf_counter() - t
    _log(f"grant: {sum(granted.values())} offers in {grant:.1f}s")
    user = UserFactory(username=f"bench-{int(time.time())}", role="city_admin")
    started = timezone.now()
    import_s = _import_rows(user, 10_000)
    t = time.perf_counter()
    touched = entitlements_grant(
        on=on, persons=f"SELECT id FROM talents_person WHERE updated_at >= '{started.isoformat()}'"
    )
    incremental = time.perf_counter() - t
    engine_first = per_policy["HZ-SKILL-ALLOWANCE"]["s"]
    return {
        "persons": persons,
        "certificates": certificates,
        "policies": len(per_policy),
        "full_s": round(full, 2),
        "grant_s": round(grant, 2),
        "offers": sum(granted.values()),
        "import_s": round(import_s, 2),
        "incremental_s": round(incremental, 2),
        "incremental_offers": sum(touched.values()),
        "limit_s": round(limit, 2),
        "ratio": round(limit / engine_first, 3) if engine_first else None,
        "per_policy": per_policy,
    }


BENCHMARKS = {"entitlements": entitlements}
