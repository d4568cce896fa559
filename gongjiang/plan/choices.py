from django.db import models

from gongjiang.common.badges import coloured


class ResponsibilityRole(models.TextChoices):
    LEAD = "lead", "牵头"
    SUPPORT = "support", "配合"


# The dashboard's indicators a task's target can be measured by (stats.indicators.TARGETS codes;
# a test holds the two lists together).
class IndicatorCode(models.TextChoices):
    NEW_HIGH_SKILLED = "new_high_skilled", "新增高技能人才"
    HIGH_SKILLED_SHARE = "high_skilled_share", "高技能人才占技能劳动者比例"
    NEW_CARRIERS = "new_carriers", "新建市级以上高技能人才培养载体"
    TEACHER_SHARE = "teacher_share", "专业课教师高级证书比例"
    DEMONSTRATION_SCHOOLS = "demonstration_schools", "高水平示范性学校"
    WAGE_GROWTH = "wage_growth", "技能人才工资增幅达标企业"


@coloured(on_track="success", lagging="warning", overdue="danger", done="primary", none="light")
class TaskState(models.TextChoices):
    """How a task (and a matrix cell, the worst of its tasks) stands today; computed, not stored."""

    ON_TRACK = "on_track", "正常推进"
    LAGGING = "lagging", "进度滞后"
    OVERDUE = "overdue", "逾期"
    DONE = "done", "已完成"
    NONE = "none", "尚未分解任务"


@coloured(due="secondary", submitted="info", returned="warning", accepted="success")
class ReportStatus(models.TextChoices):
    DUE = "due", "待报送"
    SUBMITTED = "submitted", "待市级审核"
    RETURNED = "returned", "退回补正"
    ACCEPTED = "accepted", "已采纳"


@coloured(open="danger", replied="info", closed="success")
class SupervisionStatus(models.TextChoices):
    OPEN = "open", "待回复"
    REPLIED = "replied", "已回复待核销"
    CLOSED = "closed", "已办结"


class SupervisionKind(models.TextChoices):
    OVERDUE_REPORT = "overdue_report", "进展报告逾期未报"
    LAGGING_MILESTONE = "lagging_milestone", "年度里程碑滞后"


class SpendingOrigin(models.TextChoices):
    MANUAL = "manual", "手工录入"
    IMPORT = "import", "批量导入"
    BENEFIT = "benefit", "人才待遇发放"
    REVERSAL = "reversal", "冲销"
