from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gongjiang.api"
    verbose_name = "接口"
