from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "gongjiang.jobs"
    verbose_name = "导入导出任务"

    def ready(self) -> None:
        # Each app declares its import KINDs in importers.py; load them all into the registry.
        autodiscover_modules("importers")
