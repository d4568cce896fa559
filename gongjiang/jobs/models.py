"""Background jobs: imports and exports, with their progress, counts and files.

Files (uploads, error reports, exports) hold personal data, so they are kept SM4-encrypted on disk
(``jobs/files.py``) and only decrypted into a temporary file while a job reads them.
"""

from django.conf import settings
from django.db import models

from gongjiang.accounts.choices import Role
from gongjiang.accounts.scope import ByUser, ScopedManager, register
from gongjiang.common.badges import StatusField

from .choices import JobMode, JobStatus, JobType


class Job(models.Model):
    """One import or export run. A commit after a dry run is a new job pointing at its parent."""

    job_type = models.CharField("类型", max_length=10, choices=JobType.choices)
    kind = models.CharField("数据种类", max_length=120)  # an export names its list view by its dotted path
    mode = models.CharField("方式", max_length=12, choices=JobMode.choices, default=JobMode.DRY_RUN)
    parent = models.ForeignKey(
        "self", verbose_name="试导入任务", null=True, blank=True, on_delete=models.SET_NULL
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    status = StatusField("状态", max_length=10, choices_class=JobStatus, default=JobStatus.QUEUED)
    phase = models.CharField("阶段", max_length=40, blank=True)
    progress_done = models.BigIntegerField("已处理", default=0)
    progress_total = models.BigIntegerField("总量", default=0)
    filename = models.CharField("文件名", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.BigIntegerField("文件大小", default=0)
    options = models.JSONField("参数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    message = models.TextField("说明", blank=True)
    input_file = models.CharField(max_length=255, blank=True)
    output_file = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)
    # Times a worker died while running this job (counted when the stale job is found), apart
    # from runs the database turned back (locked), which end cleanly and are tried again.
    crashes = models.PositiveSmallIntegerField("中断次数", default=0)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "导入导出任务"
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "-id"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.get_job_type_display()}#{self.pk} {self.filename or self.kind}"

    @property
    def percent(self) -> int:
        if self.status in (JobStatus.SUCCEEDED, JobStatus.REJECTED):
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.REJECTED, JobStatus.FAILED)


# Every user sees the jobs they started; the city admin sees all.
register(
    Job,
    {
        Role.REGION_OPERATOR: ByUser("user"),
        Role.ORG_OPERATOR: ByUser("user"),
        Role.DEPARTMENT: ByUser("user"),
        Role.TALENT: ByUser("user"),
        Role.AUDITOR: ByUser("user"),
    },
)


class NightlyRun(models.Model):
    """One run of the nightly maintenance (``jobs/nightly.py``): its steps and how each ended."""

    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    trigger = models.CharField("触发", max_length=10)  # worker | command
    ok = models.BooleanField("全部成功", default=False)
    # The day (Beijing) the run is for: the worker starts one a day at most.
    day = models.DateField("日期", db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "夜间维护"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"夜间维护 {self.day}"


class NightlyStep(models.Model):
    run = models.ForeignKey(NightlyRun, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField("步骤", max_length=40)
    label = models.CharField("说明", max_length=80)
    ok = models.BooleanField("成功", default=False)
    result = models.JSONField("结果", default=dict, blank=True)
    message = models.TextField("说明", blank=True)
    seconds = models.FloatField("用时（秒）", default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "夜间维护步骤"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.run} {self.name}"


class TaskFailure(models.Model):
    """A background task that failed after its retries (e.g. the database stayed locked): shown to
    the city admin on the maintenance page until it succeeds again."""

    task = models.CharField("任务", max_length=200)
    arguments = models.JSONField("参数", default=dict, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    error = models.TextField("错误")
    first_at = models.DateTimeField("首次失败")
    last_at = models.DateTimeField("最近失败", db_index=True)
    resolved_at = models.DateTimeField("恢复时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "失败的后台任务"
        ordering = ["-last_at"]

    def __str__(self) -> str:
        return self.task


# The maintenance records are the city admin's only.
register(NightlyRun, {})
register(NightlyStep, {})
register(TaskFailure, {})
