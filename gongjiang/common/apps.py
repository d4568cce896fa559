from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "gongjiang.common"
    verbose_name = "公共"
