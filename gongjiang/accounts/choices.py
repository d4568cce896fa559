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


# What audit actions mean, for the audit page (the code stays in the row).
AUDIT_ACTION_LABELS = {
    "login": "登录",
    "logout": "退出",
    "login.failed": "登录失败",
    "login.locked_out": "登录锁定",
    "password.change": "修改密码",
    "access.denied": "越权访问（已拒绝）",
    "person.create": "登记人员",
    "person.update": "修改人员",
    "person.reveal": "查看完整证件号",
    "certificate.create": "添加证书",
    "certificate.revoke": "撤销证书",
    "organisation.create": "登记单位",
    "organisation.update": "修改单位",
    "refdata.create": "新增参考数据",
    "refdata.change": "修改参考数据",
    "export": "导出",
    "import.upload": "上传导入文件",
    "import.dry_run": "试导入",
    "import.confirm": "确认导入",
    "import.commit": "导入写入",
    "import.nothing_written": "导入未写入",
    "job.resume": "恢复中断的任务",
    "job.download": "下载任务文件",
    "seed_demo": "生成演示数据",
    "stats.refresh": "刷新统计数据",
    "official_total.save": "填报技能劳动者官方统计数",
}
