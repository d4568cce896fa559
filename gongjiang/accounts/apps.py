from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongjiang.accounts"
    verbose_name = "账号与审计"

    def ready(self) -> None:
        from gongjiang.core.models import (
            CarrierType,
            CertificateType,
            Domain,
            HistoricRegionCode,
            Occupation,
            Region,
            SkillLevel,
        )

        from . import signals  # noqa: F401  (login audit)
        from .choices import Role
        from .models import AuditEntry, User
        from .scope import ALL, register, register_reference

        # Regions narrow like the rows bound to them: a county operator picks only its own county.
        register(
            Region,
            {
                Role.REGION_OPERATOR: "code",
                Role.ORG_OPERATOR: "organisation",
                Role.DEPARTMENT: ALL,
                Role.TALENT: "person__user",
                Role.SECURITY_ADMIN: ALL,  # binds county operators' accounts to a county
            },
        )
        # Accounts: the security administrator manages every one (the city admin sees them too).
        register(User, {Role.SECURITY_ADMIN: ALL})
        register(AuditEntry, {Role.AUDITOR: ALL})
        register_reference(HistoricRegionCode, SkillLevel, Domain, CertificateType, CarrierType, Occupation)
