"""Tables of skill evaluation: each drives its list page and its export."""

import django_tables2 as tables
from django.utils.html import format_html

from gongjiang.common.badges import object_badge

from .models import Appointment, Batch, Candidate, Filing

_ATTRS = {"class": "table table-sm table-hover align-middle"}


def status_badge(record):
    return object_badge(record)


class FilingTable(tables.Table):
    organisation = tables.Column(
        verbose_name="评价机构", linkify=("evaluation:filing_detail", {"pk": tables.A("pk")})
    )
    uscc = tables.Column(verbose_name="统一社会信用代码", accessor="organisation__uscc")
    institution_type = tables.Column(verbose_name="机构类型")
    region = tables.Column(verbose_name="县区", accessor="organisation__region")
    occupations = tables.Column(verbose_name="可评价职业", empty_values=(), orderable=False)
    levels = tables.Column(verbose_name="可评价等级", empty_values=(), orderable=False)
    valid_from = tables.DateColumn(verbose_name="有效期起", format="Y-m-d")
    valid_to = tables.DateColumn(verbose_name="有效期止", format="Y-m-d")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Filing
        fields = ()
        sequence = (
            "organisation",
            "uscc",
            "institution_type",
            "region",
            "occupations",
            "levels",
            "valid_from",
            "valid_to",
            "status",
        )
        attrs = _ATTRS

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def value_institution_type(self, record):
        return record.get_institution_type_display()

    def render_occupations(self, record):
        names = [o.name for o in record.occupations.all()]
        shown = "、".join(names[:3])
        return shown + ("等%d个" % len(names) if len(names) > 3 else "")

    def value_occupations(self, record):
        return "、".join(o.name for o in record.occupations.all())

    def render_levels(self, record):
        return self.value_levels(record)

    def value_levels(self, record):
        return "、".join(lv.name for lv in sorted(record.levels.all(), key=lambda lv: lv.rank))


class BatchTable(tables.Table):
    code = tables.Column(
        verbose_name="批次编号",
        accessor="pk",
        linkify=("evaluation:batch_detail", {"pk": tables.A("pk")}),
    )
    name = tables.Column(verbose_name="批次名称")
    institution = tables.Column(verbose_name="评价机构", accessor="filing__organisation")
    occupation = tables.Column(verbose_name="职业（工种）")
    level = tables.Column(verbose_name="等级", order_by=("level__rank",))
    exam_date = tables.DateColumn(verbose_name="考核日期", format="Y-m-d")
    candidate_count = tables.Column(verbose_name="考生")
    pass_count = tables.Column(verbose_name="合格")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Batch
        fields = ()
        sequence = (
            "code",
            "name",
            "institution",
            "occupation",
            "level",
            "exam_date",
            "candidate_count",
            "pass_count",
            "status",
        )
        attrs = _ATTRS

    def render_code(self, record):
        return record.code

    def value_code(self, record):
        return record.code

    def render_occupation(self, value):
        return value.name

    def value_occupation(self, value):
        return value.name

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()


class CandidateTable(tables.Table):
    name = tables.Column(verbose_name="考生", accessor="person__name")
    id_masked = tables.Column(verbose_name="身份证号", accessor="person__id_masked", orderable=False)
    batch = tables.Column(
        verbose_name="批次编号",
        accessor="batch_id",
        linkify=("evaluation:batch_detail", {"pk": tables.A("batch_id")}),
    )
    institution = tables.Column(verbose_name="评价机构", accessor="batch__filing__organisation")
    occupation = tables.Column(verbose_name="职业（工种）", accessor="batch__occupation__name")
    level = tables.Column(verbose_name="等级", accessor="batch__level")
    exam_date = tables.DateColumn(verbose_name="考核日期", accessor="batch__exam_date", format="Y-m-d")
    result = tables.Column(verbose_name="考核结果", accessor="passed")
    score = tables.Column(verbose_name="成绩")
    certificate = tables.Column(verbose_name="证书编号", accessor="certificate__number", default="—")

    class Meta:
        model = Candidate
        fields = ()
        sequence = (
            "name",
            "id_masked",
            "batch",
            "institution",
            "occupation",
            "level",
            "exam_date",
            "result",
            "score",
            "certificate",
        )
        attrs = _ATTRS

    def render_batch(self, record):
        return record.batch.code

    def value_batch(self, record):
        return record.batch.code

    def render_result(self, record):
        css = {True: "success", False: "danger"}.get(record.passed, "secondary")
        return format_html('<span class="badge text-bg-{}">{}</span>', css, record.result_display)

    def value_result(self, record):
        return record.result_display


class AppointmentTable(tables.Table):
    person = tables.Column(
        verbose_name="受聘人",
        accessor="person__name",
        linkify=("evaluation:appointment_detail", {"pk": tables.A("pk")}),
    )
    id_masked = tables.Column(verbose_name="身份证号", accessor="person__id_masked", orderable=False)
    organisation = tables.Column(verbose_name="聘任单位")
    level = tables.Column(verbose_name="聘任等级", order_by=("level__rank",))
    occupation = tables.Column(verbose_name="职业（工种）", accessor="occupation__name")
    appointed_on = tables.DateColumn(verbose_name="聘任日期", format="Y-m-d")
    term_end = tables.DateColumn(verbose_name="聘期至", format="Y-m-d", default="不定期")
    certificate = tables.Column(verbose_name="证书编号", accessor="certificate__number", default="—")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Appointment
        fields = ()
        sequence = (
            "person",
            "id_masked",
            "organisation",
            "level",
            "occupation",
            "appointed_on",
            "term_end",
            "certificate",
            "status",
        )
        attrs = _ATTRS

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()
