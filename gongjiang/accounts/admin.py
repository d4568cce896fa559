"""Reference data is edited by the city admin in the admin site (/refdata/); every change is audited.
The admin classes live here, above core, because editing is permission-checked and audited."""

from django.contrib import admin

from gongjiang.core.models import (
    CarrierType,
    CertificateType,
    Domain,
    HistoricRegionCode,
    Occupation,
    Region,
    SkillLevel,
)

from .services import audit_record


class RefDataAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.has_perm("core.change_refdata")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("core.change_refdata")

    has_change_permission = has_add_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False  # rows are referenced; retire them by editing instead

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="refdata.change" if change else "refdata.create",
            obj=obj,
            changes={name: str(form.cleaned_data.get(name)) for name in form.changed_data},
        )


@admin.register(Region)
class RegionAdmin(RefDataAdmin):
    list_display = ("code", "name", "kind", "parent", "sort_order")
    list_filter = ("kind",)


@admin.register(HistoricRegionCode)
class HistoricRegionCodeAdmin(RefDataAdmin):
    list_display = ("code", "name", "valid_from", "valid_to", "now_part_of")


@admin.register(SkillLevel)
class SkillLevelAdmin(RefDataAdmin):
    list_display = ("rank", "code", "name", "grade", "is_high_skilled")


@admin.register(Domain)
class DomainAdmin(RefDataAdmin):
    list_display = ("code", "name", "gbt4754_sections")


@admin.register(CertificateType)
class CertificateTypeAdmin(RefDataAdmin):
    list_display = ("code", "name", "has_level")
    filter_horizontal = ("levels_allowed",)


@admin.register(CarrierType)
class CarrierTypeAdmin(RefDataAdmin):
    list_display = ("code", "name", "counts_toward_target", "levels")


@admin.register(Occupation)
class OccupationAdmin(RefDataAdmin):
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")


def _refdata_login(request, extra_context=None):
    """The admin site sends whoever lacks the permission to its own login form. A signed-in user
    without the reference-data permission gets the product's 403 page instead, and a visitor the
    product's login page."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    if admin.site.has_permission(request):
        return redirect("admin:index")
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or request.get_full_path())


admin.site.login = _refdata_login
