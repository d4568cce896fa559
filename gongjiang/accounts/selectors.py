from django.db.models import QuerySet

from .models import AuditEntry, User


def audit_entry_list(*, user: User) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_user(user).select_related(None)


def account_list(*, user: User) -> QuerySet[User]:
    """The accounts ``user`` may manage (the security administrator: every one)."""
    from .scope import scope

    return scope(User.objects.all(), user).select_related("region", "organisation").order_by("username")
