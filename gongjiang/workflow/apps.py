from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "gongjiang.workflow"
    verbose_name = "办理流程"
