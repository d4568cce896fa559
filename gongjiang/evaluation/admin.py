"""The appointment rules are reference data: the city admin edits them in the admin site."""

from django.contrib import admin

from gongjiang.accounts.admin import RefDataAdmin

from .models import AppointmentRule


@admin.register(AppointmentRule)
class AppointmentRuleAdmin(RefDataAdmin):
    list_display = ("level", "prerequisite", "certificate_code")
