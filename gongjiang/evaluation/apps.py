from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "gongjiang.evaluation"
    verbose_name = "技能评价"
