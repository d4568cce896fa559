"""Keep the aggregates following the data: every change to persons, certificates or organisations
asks, once its transaction commits, for a background rebuild (one per burst of changes)."""

from django.db import transaction
from django.dispatch import receiver

from gongjiang.orgs.signals import organisations_changed
from gongjiang.talents.signals import persons_changed


@receiver(persons_changed, dispatch_uid="stats_persons_changed")
@receiver(organisations_changed, dispatch_uid="stats_organisations_changed")
def request_refresh_on_commit(sender, **kwargs) -> None:
    from .services import aggregates_request_refresh

    transaction.on_commit(aggregates_request_refresh)
