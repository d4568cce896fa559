from django.apps import AppConfig


class HonoursConfig(AppConfig):
    name = "gongjiang.honours"
    verbose_name = "表彰与人才项目"

    def ready(self) -> None:
        from . import workflows  # noqa: F401 - registers the nomination workflow
