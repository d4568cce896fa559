"""Tables of honours: each drives its list page and its export."""

import django_tables2 as tables

from gongjiang.common.badges import object_badge

from .models import HonourAward, Nomination

_ATTRS = {"class": "table table-sm table-hover align-middle"}


class HonourAwardTable(tables.Table):
    person = tables.Column(
        verbose_name="姓名", linkify=("talents:person_detail", {"pk": tables.A("person_id")})
    )
    title = tables.Column(verbose_name="荣誉/项目")
    granted_on = tables.DateColumn(verbose_name="授予日期", format="Y-m-d")
    source = tables.Column(verbose_name="来源")
    note = tables.Column(verbose_name="说明")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = HonourAward
        fields = ()
        sequence = ("person", "title", "granted_on", "source", "note", "status")
        attrs = _ATTRS

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def value_source(self, record):
        return record.get_source_display()


class NominationTable(tables.Table):
    code = tables.Column(
        verbose_name="推荐编号", accessor="pk", linkify=("honours:nomination_detail", {"pk": tables.A("pk")})
    )
    person = tables.Column(verbose_name="被推荐人")
    round = tables.Column(verbose_name="评选")
    region = tables.Column(verbose_name="县区")
    nominating_org = tables.Column(verbose_name="推荐单位")
    high_skilled = tables.BooleanColumn(verbose_name="高技能人才", yesno="是,否")
    objections = tables.Column(verbose_name="公示异议")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Nomination
        fields = ()
        sequence = (
            "code",
            "person",
            "round",
            "region",
            "nominating_org",
            "high_skilled",
            "objections",
            "status",
        )
        attrs = _ATTRS

    def render_code(self, record):
        return record.code

    value_code = render_code

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()
