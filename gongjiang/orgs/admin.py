"""Jiangsu's minimum wage standards are edited by the city admin beside the reference data; audited."""

from django.contrib import admin

from gongjiang.accounts.admin import RefDataAdmin

from .models import MinimumWage


@admin.register(MinimumWage)
class MinimumWageAdmin(RefDataAdmin):
    list_display = ("effective_from", "category", "monthly", "source")
