from django.db import models


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市级管理员"
    REGION_OPERATOR = "region_operator", "县区管理员"
    DEPARTMENT = "department", "部门用户"
    ORG_OPERATOR = "org_operator", "单位用户"
    TALENT = "talent", "个人"
    AUDITOR = "auditor", "审计管理员"


class AuditResult(models.TextChoices):
    OK = "ok", "成功"
    DENIED = "denied", "拒绝"
    FAILED = "failed", "失败"
