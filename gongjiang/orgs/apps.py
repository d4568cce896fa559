from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "gongjiang.orgs"
    verbose_name = "单位"
