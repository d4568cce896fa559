from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "gongjiang.evaluation"
    verbose_name = "技能评价"

    def ready(self) -> None:
        from . import workflows  # noqa: F401 - registers the evaluation workflows
