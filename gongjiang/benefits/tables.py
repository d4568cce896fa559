"""Tables of benefits: each drives its list page and its export."""

import django_tables2 as tables

from gongjiang.common.badges import object_badge

from .models import Entitlement, PaymentBatch

_NOWRAP = {"td": {"class": "text-nowrap"}}


class EntitlementTable(tables.Table):
    person = tables.Column(
        verbose_name="人员",
        accessor="person__name",
        linkify=("benefits:entitlement_detail", {"pk": tables.A("pk")}),
    )
    region = tables.Column(verbose_name="工作县区", accessor="person__region__name")
    policy = tables.Column(verbose_name="政策", accessor="policy__name")
    level = tables.Column(verbose_name="等级", accessor="level__name")
    amount = tables.Column(verbose_name="金额（元）", attrs=_NOWRAP)
    instalments = tables.Column(verbose_name="分期")
    status = tables.Column(verbose_name="状态")
    granted_on = tables.DateColumn(verbose_name="授予日期", format="Y-m-d", attrs=_NOWRAP)
    due_on = tables.DateColumn(verbose_name="办理期限", format="Y-m-d", attrs=_NOWRAP)

    class Meta:
        model = Entitlement
        fields = ()
        sequence = (
            "person",
            "region",
            "policy",
            "level",
            "amount",
            "instalments",
            "status",
            "granted_on",
            "due_on",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()


class PaymentBatchTable(tables.Table):
    id = tables.Column(verbose_name="批次", linkify=("benefits:payment_batch_detail", {"pk": tables.A("pk")}))
    month = tables.DateColumn(verbose_name="月份", format="Y-m")
    lines = tables.Column(verbose_name="笔数", accessor="line_count")
    total = tables.Column(verbose_name="金额（元）", accessor="line_total")
    created_at = tables.DateTimeColumn(verbose_name="制作时间", format="Y-m-d H:i")

    class Meta:
        model = PaymentBatch
        fields = ()
        sequence = ("id", "month", "lines", "total", "created_at")
        attrs = {"class": "table table-sm table-hover align-middle"}
