from django.db import models

from gongjiang.common.badges import coloured


class JobType(models.TextChoices):
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"


@coloured(queued="secondary", running="info", succeeded="success", rejected="warning", failed="danger")
class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    REJECTED = "rejected", "有错误，未写入"
    FAILED = "failed", "失败"


class JobMode(models.TextChoices):
    DRY_RUN = "dry_run", "试导入（不写入）"
    COMMIT = "commit", "正式导入"
    VALID_ONLY = "valid_only", "只导入正确的行"
