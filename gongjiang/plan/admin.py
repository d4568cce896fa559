"""The measures' responsibilities (who leads) and the funding sources are reference data the city
admin edits beside the rest; audited like all reference data."""

from django.contrib import admin, messages

from gongjiang.accounts.admin import RefDataAdmin

from .models import FundingSource, Responsibility
from .services import responsibility_lead_set


@admin.register(Responsibility)
class ResponsibilityAdmin(RefDataAdmin):
    list_display = ("measure", "named_as", "department", "role", "position")
    list_filter = ("measure", "role")
    readonly_fields = ("role",)  # changed only by the action below: one lead per measure
    actions = ["make_lead"]

    @admin.action(description="设为所在措施的牵头部门")
    def make_lead(self, request, queryset):
        for row in queryset:
            responsibility_lead_set(actor=request.user, responsibility=row)
        messages.success(request, "已设定牵头部门 %d 项" % queryset.count())


@admin.register(FundingSource)
class FundingSourceAdmin(RefDataAdmin):
    list_display = ("name", "benefit_measure", "position")
