"""The measures' responsibilities (who leads) and the funding sources are reference data the city
admin edits beside the rest; audited like all reference data."""

from django.contrib import admin

from gongjiang.accounts.admin import RefDataAdmin

from .models import FundingSource, Responsibility


@admin.register(Responsibility)
class ResponsibilityAdmin(RefDataAdmin):
    list_display = ("measure", "named_as", "department", "role", "position")
    list_filter = ("measure", "role")


@admin.register(FundingSource)
class FundingSourceAdmin(RefDataAdmin):
    list_display = ("name", "benefit_measure", "position")
