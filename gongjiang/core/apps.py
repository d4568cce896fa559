from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongjiang.core"
    verbose_name = "参考数据"
