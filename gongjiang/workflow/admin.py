from django.contrib import admin

from gongjiang.accounts.admin import RefDataAdmin

from .models import StepDeadline


@admin.register(StepDeadline)
class StepDeadlineAdmin(RefDataAdmin):
    """Deadlines of the workflows' waiting steps, edited by the city admin in 参考数据 (audited).
    Rows are seeded by a migration; only their days change."""

    list_display = ("__str__", "days")
    fields = ("workflow", "state", "days")
    readonly_fields = ("workflow", "state")

    def has_add_permission(self, request) -> bool:
        return False
