from django.contrib import admin

from gongjiang.accounts.admin import RefDataAdmin

from .models import ShortageOccupation, YearlyCap


@admin.register(YearlyCap)
class YearlyCapAdmin(RefDataAdmin):
    list_display = ("year", "amount")


@admin.register(ShortageOccupation)
class ShortageOccupationAdmin(RefDataAdmin):
    list_display = ("year", "occupation", "min_level", "domain")
    list_filter = ("year",)
    autocomplete_fields = ("occupation",)
