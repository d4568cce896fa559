from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "gongjiang.plan"
    verbose_name = "部门任务"

    def ready(self) -> None:
        from . import workflows  # noqa: F401 - registers the progress report and 督办 workflows
