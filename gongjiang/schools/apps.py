from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "gongjiang.schools"
    verbose_name = "职业院校"
