from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "gongjiang.stats"
    verbose_name = "统计"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the refresh-on-change receivers)
