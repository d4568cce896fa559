from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "gongjiang.jobs"
    verbose_name = "导入导出任务"

    def ready(self) -> None:
        # Each app declares its import KINDs in importers.py; load them all into the registry.
        autodiscover_modules("importers")
        from . import maintenance
        from .nightly import register_step

        # The nightly steps of this app and of the apps above it (which cannot import jobs).
        register_step("audit", "校验审计日志链并写检查点", maintenance.audit_verify_and_checkpoint)
        register_step("leftovers", "清理遗留的临时明文文件", maintenance.leftovers_remove)
