"""Tables of training carriers: each drives its list page and its export."""

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from gongjiang.common.badges import object_badge

from .models import Carrier

_NOWRAP = {"td": {"class": "text-nowrap"}}
_LONG = {"td": {"class": "gj-long"}}


class CarrierTable(tables.Table):
    name = tables.Column(
        verbose_name="载体名称", linkify=("carriers:carrier_detail", {"pk": tables.A("pk")}), attrs=_LONG
    )
    carrier_type = tables.Column(verbose_name="类型", attrs=_LONG)
    level = tables.Column(verbose_name="级别", empty_values=(), attrs=_NOWRAP)
    status = tables.Column(verbose_name="状态", attrs=_NOWRAP)
    host = tables.Column(verbose_name="依托单位", attrs=_LONG)
    region = tables.Column(verbose_name="县区")
    domain = tables.Column(verbose_name="重点领域")
    leader = tables.Column(verbose_name="领办人", accessor="leader__name")
    first_recognised_on = tables.DateColumn(verbose_name="首次认定", format="Y-m-d", attrs=_NOWRAP)
    due_on = tables.DateColumn(verbose_name="办理期限", format="Y-m-d", attrs=_NOWRAP)

    class Meta:
        model = Carrier
        fields = ()
        sequence = (
            "name",
            "carrier_type",
            "level",
            "status",
            "host",
            "region",
            "domain",
            "leader",
            "first_recognised_on",
            "due_on",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_level(self, record):
        return self.value_level(record)

    def value_level(self, record):
        if record.level:
            return record.get_level_display()
        return "%s（申报）" % record.get_applied_level_display()

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_due_on(self, record, value):
        if record.due_on is None:
            return "—"
        if value < timezone.localdate():
            return format_html('{} <span class="badge text-bg-danger">逾期</span>', value.isoformat())
        return value.isoformat()


class CatalogueTable(tables.Table):
    """What the public sees: no personal numbers, the leader by name only."""

    name = tables.Column(verbose_name="载体名称", attrs=_LONG)
    carrier_type = tables.Column(verbose_name="类型", attrs=_LONG)
    level = tables.Column(verbose_name="级别", attrs=_NOWRAP)
    host = tables.Column(verbose_name="依托单位", attrs=_LONG)
    region = tables.Column(verbose_name="县区")
    domain = tables.Column(verbose_name="重点领域")
    leader = tables.Column(verbose_name="领办人", accessor="leader__name")
    first_recognised_on = tables.DateColumn(verbose_name="首次认定", format="Y-m-d", attrs=_NOWRAP)
    recognised_on = tables.DateColumn(verbose_name="现级别认定", format="Y-m-d", attrs=_NOWRAP)

    class Meta:
        model = Carrier
        fields = ()
        sequence = (
            "name",
            "carrier_type",
            "level",
            "host",
            "region",
            "domain",
            "leader",
            "first_recognised_on",
            "recognised_on",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("-first_recognised_on",)
