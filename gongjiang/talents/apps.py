from django.apps import AppConfig


class TalentsConfig(AppConfig):
    name = "gongjiang.talents"
    verbose_name = "高技能人才库"

    def ready(self) -> None:
        from gongjiang.jobs.nightly import register_step

        from .services import certificates_expire

        register_step("certificates", "证书到期失效，刷新人员等级", certificates_expire)
