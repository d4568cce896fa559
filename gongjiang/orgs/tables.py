import django_tables2 as tables
from django.utils.html import format_html

from .models import Organisation, WageReport
from .wages import growth


class OrganisationTable(tables.Table):
    name = tables.Column(verbose_name="名称", linkify=("orgs:organisation_detail", {"pk": tables.A("pk")}))
    uscc = tables.Column(verbose_name="统一社会信用代码")
    kind = tables.Column(verbose_name="类别")
    region = tables.Column(verbose_name="县区")
    domain = tables.Column(verbose_name="重点领域")
    size = tables.Column(verbose_name="规模")
    flags = tables.Column(verbose_name="标识", empty_values=(), orderable=False)

    class Meta:
        model = Organisation
        fields = ()
        sequence = ("name", "uscc", "kind", "region", "domain", "size", "flags")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_flags(self, record):
        return self.value_flags(record) or "—"

    def value_flags(self, record):
        labels = [
            ("链主", record.is_chain_leader),
            ("龙头", record.is_industry_leader),
            ("专精特新", record.is_specialised),
            ("国有", record.is_state_owned),
        ]
        return "、".join(label for label, on in labels if on)


def _yuan(value) -> str:
    return f"{value:,}" if value is not None else "—"


def percent_plain(value) -> str:
    """0.7619 → 76.2% (a share, as the dashboard shows it)."""
    return f"{value * 100:.1f}%" if value is not None else "—"


def percent(value) -> str:
    return f"{value * 100:+.1f}%" if value is not None else "—"


class WageReportTable(tables.Table):
    """A wage report with its growth against the year before and whether it complies."""

    organisation = tables.Column(
        verbose_name="企业", linkify=("orgs:wagereport_detail", {"pk": tables.A("pk")})
    )
    uscc = tables.Column(verbose_name="统一社会信用代码", accessor="organisation__uscc")
    region = tables.Column(verbose_name="县区", accessor="organisation__region__name")
    state_owned = tables.BooleanColumn(verbose_name="国有", accessor="organisation__is_state_owned")
    year = tables.Column(verbose_name="年度")
    staff_count = tables.Column(verbose_name="职工人数")
    staff_avg_wage = tables.Column(verbose_name="职工人均年工资（元）")
    skilled_count = tables.Column(verbose_name="技能人才人数")
    skilled_avg_wage = tables.Column(verbose_name="技能人才人均年工资（元）")
    staff_growth = tables.Column(verbose_name="职工工资增幅", empty_values=(), orderable=False)
    skilled_growth = tables.Column(verbose_name="技能人才工资增幅", empty_values=(), orderable=False)
    complies = tables.Column(verbose_name="增幅达标", empty_values=())
    has_annuity = tables.BooleanColumn(verbose_name="企业年金")

    class Meta:
        model = WageReport
        fields = ()
        sequence = (
            "organisation",
            "uscc",
            "region",
            "state_owned",
            "year",
            "staff_count",
            "staff_avg_wage",
            "skilled_count",
            "skilled_avg_wage",
            "staff_growth",
            "skilled_growth",
            "complies",
            "has_annuity",
        )
        # Fourteen columns, most of them figures under long headers: the headers wrap.
        attrs = {"class": "table table-sm table-hover align-middle gj-wrap-head"}

    def render_staff_avg_wage(self, value):
        return _yuan(value)

    def render_skilled_avg_wage(self, value):
        return _yuan(value)

    def value_staff_growth(self, record):
        return round(growth(record.staff_avg_wage, record.prev_staff_avg), 4) if record.judged else None

    def value_skilled_growth(self, record):
        return round(growth(record.skilled_avg_wage, record.prev_skilled_avg), 4) if record.judged else None

    def render_staff_growth(self, record):
        return percent(self.value_staff_growth(record))

    def render_skilled_growth(self, record):
        return percent(self.value_skilled_growth(record))

    def value_complies(self, record):
        return {True: "达标", False: "未达标"}.get(record.complies, "不判断")

    def render_complies(self, record):
        text = self.value_complies(record)
        css = {True: "success", False: "danger"}.get(record.complies, "secondary")
        return format_html('<span class="badge text-bg-{}" data-testid="complies">{}</span>', css, text)
