"""Tables of the plan: each drives its list page and its export."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from gongjiang.common.badges import object_badge

from .choices import SpendingOrigin
from .models import Spending, Supervision, Task

_NOWRAP = {"td": {"class": "text-nowrap"}}
_LONG = {"td": {"class": "gj-long"}}


class TaskTable(tables.Table):
    measure = tables.Column(verbose_name="措施", attrs=_LONG)
    title = tables.Column(
        verbose_name="任务", linkify=("plan:task_detail", {"pk": tables.A("pk")}), attrs=_LONG
    )
    owner = tables.Column(verbose_name="牵头部门", attrs=_LONG)
    supporting = tables.Column(verbose_name="配合部门", empty_values=(), orderable=False, attrs=_LONG)
    target = tables.Column(verbose_name="可量化目标", attrs=_LONG)
    indicator = tables.Column(verbose_name="对应指标")

    class Meta:
        model = Task
        fields = ()
        sequence = ("measure", "title", "owner", "supporting", "target", "indicator")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_supporting(self, record):
        return self.value_supporting(record) or "—"

    def value_supporting(self, record):
        return "、".join(o.name for o in record.supporting.all())


class SupervisionTable(tables.Table):
    text = tables.Column(
        verbose_name="督办内容", linkify=("plan:supervision_detail", {"pk": tables.A("pk")}), attrs=_LONG
    )
    kind = tables.Column(verbose_name="事由")
    department = tables.Column(verbose_name="被督办部门", attrs=_LONG)
    raised_on = tables.DateColumn(verbose_name="督办日期", format="Y-m-d", attrs=_NOWRAP)
    due_on = tables.DateColumn(verbose_name="回复期限", format="Y-m-d", attrs=_NOWRAP)
    status = tables.Column(verbose_name="状态", attrs=_NOWRAP)

    class Meta:
        model = Supervision
        fields = ()
        sequence = ("text", "kind", "department", "raised_on", "due_on", "status")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()


class SpendingTable(tables.Table):
    spent_on = tables.DateColumn(verbose_name="支出日期", format="Y-m-d", attrs=_NOWRAP)
    source = tables.Column(verbose_name="资金来源")
    measure = tables.Column(verbose_name="措施", attrs=_LONG)
    amount = tables.Column(verbose_name="金额（元）", attrs={"td": {"class": "text-end"}})
    description = tables.Column(verbose_name="用途", attrs=_LONG)
    origin = tables.Column(verbose_name="来源")
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = Spending
        fields = ()
        sequence = ("spent_on", "source", "measure", "amount", "description", "origin", "actions")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_origin(self, record):
        if getattr(record, "reversed_by", None) is not None:
            return "%s（已冲销）" % record.get_origin_display()
        return record.get_origin_display()

    def render_actions(self, record):
        request = getattr(self, "request", None)
        if (
            request is None
            or not request.user.has_perm("plan.add_spending")
            or record.origin in (SpendingOrigin.BENEFIT, SpendingOrigin.REVERSAL)
            or getattr(record, "reversed_by", None) is not None
        ):
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-danger text-nowrap" href="{}">冲销</a>',
            reverse("plan:spending_reverse", args=[record.pk]),
        )
