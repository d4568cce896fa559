"""Background tasks of the stats app: load nothing, call the service."""

from django_tasks import task


@task()
def aggregates_refresh_task(trigger: str = "change") -> None:
    """Rebuild the aggregates (seconds at millions of persons); the baseline when it is due."""
    from .services import stats_refresh_background

    stats_refresh_background(trigger=trigger)


@task()
def baseline_refresh_task() -> None:
    """Recompute the baseline (2025-12-31) from the certificates."""
    from .services import baseline_refresh

    baseline_refresh()
