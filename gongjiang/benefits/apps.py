from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongjiang.benefits"
    verbose_name = "人才待遇"

    def ready(self) -> None:
        from gongjiang.accounts.choices import Role
        from gongjiang.accounts.scope import register, register_reference

        from .models import BenefitApplication, BenefitPolicy, Entitlement, PolicyVersion, ShortageOccupation

        # Policies and the shortage catalogue are public rules: readable by every signed-in user.
        register_reference(BenefitPolicy, PolicyVersion, ShortageOccupation)
        from gongjiang.jobs.nightly import register_step

        from . import receivers, workflows  # noqa: F401 - offers follow the data; the offer's workflow
        from .services import entitlements_grant_background

        # Nightly: entitlements re-evaluated for the new day (ages, certificates that lapsed).
        register_step("entitlements", "重新评估人才待遇资格", entitlements_grant_background)

        # A county sees its region's people's entitlements, an organisation its staff's, a talent
        # their own.
        for model in (Entitlement, BenefitApplication):
            register(
                model,
                {
                    Role.REGION_OPERATOR: "person__region",
                    Role.ORG_OPERATOR: "person__employer",
                    Role.TALENT: "person__user",
                },
            )
