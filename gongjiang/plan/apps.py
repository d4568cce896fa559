from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "gongjiang.plan"
    verbose_name = "部门任务"

    def ready(self) -> None:
        from gongjiang.jobs.nightly import register_step

        from . import workflows  # noqa: F401 - registers the progress report and 督办 workflows
        from .services import plan_daily

        # The plan's daily check (also ``manage.py plan_daily``) runs with the nightly maintenance.
        register_step(
            "plan", "部门任务每日检查（季度报告、到期提醒、督办、支出同步）", lambda: plan_daily(None)
        )
