from django.db import models


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市级管理员"
    REGION_OPERATOR = "region_operator", "县区管理员"
    DEPARTMENT = "department", "部门用户"
    ORG_OPERATOR = "org_operator", "单位用户"
    TALENT = "talent", "个人"
    AUDITOR = "auditor", "审计管理员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"


# 三员分立: the system, security and audit administrators are three separate accounts; none of
# them holds another role, is bound to a region or organisation, or is a superuser.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})


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
    "account.create": "新建账号",
    "account.update": "修改账号",
    "account.password_reset": "重置账号密码",
    "role.change": "变更角色",
    "otp.enrol": "启用两步验证",
    "otp.verify": "两步验证通过",
    "otp.recovery_used": "使用恢复码验证",
    "otp.failed": "两步验证失败",
    "access.denied": "越权访问（已拒绝）",
    "person.create": "登记人员",
    "person.update": "修改人员",
    "person.reveal": "查看完整证件号",
    "person.search": "按姓名和身份证号后四位查找",
    "person.duplicate_refused": "登记已有档案的身份证号（已拒绝）",
    "certificate.create": "添加证书",
    "certificate.revoke": "撤销证书",
    "certificate.correct": "更正证书信息",
    "certificate.verify": "证书查验",
    "correction.submit": "提交更正申请",
    "correction.accept": "同意更正",
    "correction.return": "更正申请退回补正",
    "correction.reject": "不予更正",
    "correction.resubmit": "更正申请补正后重新提交",
    "talent.register": "个人注册",
    "talent.register_refused": "个人注册未通过",
    "share_link.create": "创建技能护照分享链接",
    "share_link.revoke": "撤销技能护照分享链接",
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
    "teacher.create": "登记教师",
    "teacher.update": "修改教师",
    "demonstration.create": "登记示范性学校",
    "demonstration.update": "修改示范性学校",
    "milestone.create": "添加建设任务",
    "milestone.update": "修改建设任务",
    "practice.create": "登记教师企业实践",
    "practice.update": "修改教师企业实践",
    "schoolyear.create": "登记学校年度数据",
    "schoolyear.update": "修改学校年度数据",
    "filing.create": "提交评价机构备案",
    "filing.update": "修改评价机构备案",
    "filing.approve": "备案审核通过",
    "filing.reject": "退回备案",
    "filing.suspend": "暂停评价机构",
    "filing.resume": "恢复评价机构",
    "filing.withdraw": "撤销评价机构备案",
    "batch.create": "制定认定批次",
    "batch.update": "修改认定批次",
    "batch.results": "录入考核结果",
    "batch.report": "上报认定结果",
    "batch.return": "退回认定结果补正",
    "batch.publish": "公布认定结果并发证",
    "batch.cancel": "取消认定批次",
    "candidate.add": "添加考生",
    "candidate.remove": "移除考生",
    "appointment.create": "提交评聘",
    "appointment.confirm": "评聘备案并发证",
    "appointment.return": "退回评聘",
    "appointment.end": "解聘",
    "stats.refresh": "刷新统计数据",
    "official_total.save": "填报技能劳动者官方统计数",
    "target_split.save": "分解目标",
    "attachment.download": "下载附件",
}

# Training carriers (one audit action per lifecycle step).
AUDIT_ACTION_LABELS.update(
    {
        "carrier.declare": "申报培养载体",
        "carrier.update": "补正培养载体申报",
        "carrier.resubmit": "重新提交培养载体申报",
        "carrier.county_pass": "培养载体县区初审通过",
        "carrier.return": "培养载体退回补正",
        "carrier.reject": "培养载体不予通过",
        "carrier.score": "录入培养载体专家评分",
        "carrier.recognise": "认定培养载体",
        "carrier.assess": "培养载体年度考核",
        "carrier.upgrade": "培养载体升级",
        "carrier.revoke": "撤销培养载体",
    }
)

# Reliability: crashed jobs, the nightly maintenance, audit checkpoints, backups.
AUDIT_ACTION_LABELS.update(
    {
        "job.crash": "任务进程异常终止",
        "job.abandon": "多次中断的任务不再重试",
        "task.failed": "后台任务多次重试后失败",
        "nightly.run": "夜间维护",
        "certificate.expire": "证书到期失效",
        "audit.checkpoint": "审计日志链检查点",
        "backup.create": "备份",
        "backup.restore": "从备份恢复",
    }
)

# The partner API: tokens issued and revoked by the city; every call made with one.
AUDIT_ACTION_LABELS.update(
    {
        "api_token.create": "签发接口令牌",
        "api_token.revoke": "撤销接口令牌",
        "api.call": "接口调用",
        "api.denied": "接口令牌被拒绝",
    }
)
