from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "gongjiang.carriers"
    verbose_name = "培养载体"

    def ready(self) -> None:
        from . import workflows  # noqa: F401 - registers the carrier workflow
