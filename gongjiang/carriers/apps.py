from django.apps import AppConfig


class CarriersConfig(AppConfig):
    name = "gongjiang.carriers"
    verbose_name = "培养载体"
