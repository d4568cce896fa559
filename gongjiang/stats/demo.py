"""Demo data of the dashboard: officially reported totals of 技能劳动者 per region, the month-end
snapshots of 2026 (recomputed from the certificates, as they would have been taken), and the
aggregates themselves, so a fresh demo opens on a full dashboard."""

from __future__ import annotations

import random

from django.db.models import Sum
from django.utils import timezone

from .choices import Dimension, RefreshTrigger
from .indicators import START, add_months, month_end
from .models import OfficialTotal, Tally
from .selectors import CITY
from .services import snapshots_backfill, stats_refresh_all


def generate(rng: random.Random) -> dict[str, int]:
    """Official totals for last year and this one (a little above the registered skilled persons:
    not everyone is in the database yet), snapshots at each past month end of 2026, aggregates."""
    state = stats_refresh_all(trigger=RefreshTrigger.DEMO)
    today = timezone.localdate()
    month_ends = [month_end(add_months(START, i)) for i in range(60)]
    backfilled = snapshots_backfill(days=[d for d in month_ends if d < today])
    skilled = dict(
        Tally.objects.filter(dimension=Dimension.REGION)
        .exclude(key=CITY)
        .values_list("key")
        .annotate(n=Sum("skilled"))
        .order_by("key")
    )
    totals = []
    for year in (today.year - 1, today.year):
        for code, n in skilled.items():
            if n:
                totals.append(
                    OfficialTotal(
                        region_id=code,
                        year=year,
                        skilled_workers=int(n * rng.uniform(1.15, 1.45)),
                        source="%d年技能人才统计年报（演示）" % year,
                    )
                )
    OfficialTotal.objects.bulk_create(totals, ignore_conflicts=True)
    return {"snapshots": backfilled, "official_totals": len(totals), "as_of": int(state.as_of.timestamp())}
