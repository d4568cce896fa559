from django.db.models import QuerySet

from .models import AuditEntry, User


def audit_entry_list(*, user: User) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.for_user(user).select_related(None)
