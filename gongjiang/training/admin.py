from django.contrib import admin

from gongjiang.accounts.admin import RefDataAdmin

from .models import ClaimCap, SubsidyRate


@admin.register(SubsidyRate)
class SubsidyRateAdmin(RefDataAdmin):
    list_display = ("kind", "subsidy_class", "level", "amount", "demo", "basis")
    list_filter = ("kind", "subsidy_class", "demo")


@admin.register(ClaimCap)
class ClaimCapAdmin(RefDataAdmin):
    list_display = ("year", "max_lines", "demo")
