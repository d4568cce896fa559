"""Background tasks of the stats app: load nothing, call the service."""

from django_tasks import task


@task()
def aggregates_refresh_task(trigger: str = "change") -> None:
    """Rebuild the aggregates (seconds at a million persons), then the baseline."""
    from .services import stats_refresh_all

    stats_refresh_all(trigger=trigger)
