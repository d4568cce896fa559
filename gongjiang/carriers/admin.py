"""The per-type carrier rules are edited by the city admin beside the reference data; audited."""

from django.contrib import admin

from gongjiang.accounts.admin import RefDataAdmin

from .models import CarrierRule


@admin.register(CarrierRule)
class CarrierRuleAdmin(RefDataAdmin):
    list_display = (
        "carrier_type",
        "min_leader_level",
        "lockout_years",
        "excellent_share",
        "min_expert_scores",
        "county_review_days",
        "correction_days",
        "city_review_days",
        "assessment_days",
    )
