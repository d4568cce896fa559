"""Honour titles and talent programmes (with their selection rules) are edited by the city admin
beside the reference data; audited."""

from django.contrib import admin

from gongjiang.accounts.admin import RefDataAdmin

from .models import HonourTitle


@admin.register(HonourTitle)
class HonourTitleAdmin(RefDataAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "level",
        "awarding_body",
        "cycle_years",
        "quota",
        "target_high_share",
        "min_level",
        "min_years_in_post",
        "clean_years",
        "by_competition",
    )
