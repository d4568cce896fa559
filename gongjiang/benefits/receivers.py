"""Offers follow the data: a change to persons or certificates asks, once its transaction
commits, for a background grant run (one per burst of changes)."""

from django.db import transaction
from django.dispatch import receiver

from gongjiang.talents.signals import persons_changed


@receiver(persons_changed, dispatch_uid="benefits_persons_changed")
def request_grant_on_commit(sender, **kwargs) -> None:
    from .services import entitlements_request_grant

    transaction.on_commit(entitlements_request_grant)
