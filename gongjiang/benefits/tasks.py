"""Background tasks of benefits: load nothing, call the service."""

from django_tasks import task


@task()
def entitlements_grant_task() -> None:
    """Make today's 免申即享 offers after a change to persons, certificates or policies."""
    from .services import entitlements_grant_background

    entitlements_grant_background()
