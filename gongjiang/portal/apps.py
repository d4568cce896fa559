from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongjiang.portal"
    verbose_name = "个人空间与证书查验"

    def ready(self) -> None:
        from . import workflows  # noqa: F401 - registers the correction workflow
