from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "gongjiang.competitions"
    verbose_name = "技能竞赛"

    def ready(self) -> None:
        from . import importers  # noqa: F401 - registers the competition_results import KIND
