from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "gongjiang.talents"
    verbose_name = "高技能人才库"
