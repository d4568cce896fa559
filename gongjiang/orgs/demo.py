"""Demo wage reports (措施七), called by ``seed_demo``: last year's and this year's reports of most
demo enterprises, so the dashboard's 技能人才工资增幅 card shows a real figure. The demo ``org``
enterprise has only last year's report, so its user can file this year's and see it counted.
Deterministic (its own seed), and written once: a database with reports is left alone."""

from __future__ import annotations

import random

from gongjiang.core.validators import local_today

from .choices import OrgKind
from .models import Organisation, WageReport

SEED = 20261207
SHARE_REPORTING = 0.7
MAX_ENTERPRISES = 200


def _group(rng: random.Random, n: int, base: int, ratio: tuple[float, float]) -> int | None:
    return round(base * rng.uniform(*ratio) / 10) * 10 if n else None


def seed_wages(*, own: Organisation | None = None) -> int:
    """Write the demo reports; returns how many."""
    if WageReport.objects.exists():
        return 0
    rng = random.Random(SEED)  # noqa: S311 (demo data, repeatable on purpose)
    year = local_today().year
    enterprises = list(Organisation.objects.filter(kind=OrgKind.ENTERPRISE).order_by("pk")[:MAX_ENTERPRISES])
    reports: list[WageReport] = []
    for org in enterprises:
        if org != own and rng.random() > SHARE_REPORTING:
            continue
        staff_n = rng.randint(30, 800)
        skilled_n = round(staff_n * rng.uniform(0.4, 0.75))
        high_n = round(skilled_n * rng.uniform(0.2, 0.45))
        principal_n = rng.randint(0, 2) if high_n >= 5 else 0
        senior_n = rng.randint(0, 3)
        staff_avg = rng.randint(60, 120) * 1000
        skilled_avg = round(staff_avg * rng.uniform(0.9, 1.1) / 10) * 10
        staff_growth = rng.uniform(0.02, 0.07)
        skilled_growth = staff_growth + rng.gauss(0.006, 0.02)
        annuity = rng.random() < (0.7 if org.is_state_owned else 0.25)
        for y, staff_w, skilled_w in (
            (year - 1, staff_avg, skilled_avg),
            (year, round(staff_avg * (1 + staff_growth)), round(skilled_avg * (1 + skilled_growth))),
        ):
            if org == own and y == year:
                continue  # left for the demo user to file
            reports.append(
                WageReport(
                    organisation=org,
                    year=y,
                    staff_count=staff_n,
                    staff_avg_wage=staff_w,
                    skilled_count=skilled_n,
                    skilled_avg_wage=skilled_w,
                    high_skilled_count=high_n,
                    high_skilled_avg_wage=_group(rng, high_n, skilled_w, (1.1, 1.35)),
                    principal_count=principal_n,
                    principal_avg_wage=_group(rng, principal_n, skilled_w, (1.6, 2.2)),
                    senior_title_count=senior_n,
                    senior_title_avg_wage=_group(rng, senior_n, staff_w, (1.8, 2.5)),
                    has_annuity=annuity,
                )
            )
    WageReport.objects.bulk_create(reports, batch_size=1000)
    return len(reports)
