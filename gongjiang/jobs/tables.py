import django_tables2 as tables

from gongjiang.common.badges import object_badge

from .models import Job
from .registry import REGISTRY


class JobTable(tables.Table):
    id = tables.Column(verbose_name="编号", linkify=("jobs:job_detail", {"pk": tables.A("pk")}))
    job_type = tables.Column(verbose_name="类型")
    kind = tables.Column(verbose_name="数据种类")
    mode = tables.Column(verbose_name="方式")
    filename = tables.Column(verbose_name="文件名")
    user = tables.Column(verbose_name="操作人")
    created_at = tables.DateTimeColumn(verbose_name="提交时间", format="Y-m-d H:i")
    status = tables.Column(verbose_name="状态")
    summary = tables.Column(verbose_name="结果", empty_values=(), orderable=False)

    class Meta:
        model = Job
        fields = ()
        sequence = ("id", "job_type", "kind", "mode", "filename", "user", "created_at", "status", "summary")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_kind(self, record):
        return self.value_kind(record)

    def value_kind(self, record):
        kind = REGISTRY.get(record.kind)
        return kind.label if kind else record.options.get("title", "列表导出")

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_summary(self, record):
        return self.value_summary(record) or "—"

    def value_summary(self, record):
        r = record.result or {}
        if "accepted" in r:
            return "%s 行 / 正确 %s / 错误 %s" % (
                r.get("rows", 0),
                r.get("accepted", 0),
                r.get("rejected", 0),
            )
        if "rows" in r:
            return "%s 行" % r["rows"]
        return ""
