from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongjiang.training"
    verbose_name = "职业技能培训"

    def ready(self) -> None:
        from . import workflows  # noqa: F401 - registers the claim workflow
