"""Tables of the schools app: each drives its list page and its export."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from .choices import TEACHER_GOAL_PERCENT
from .models import DemonstrationSchool, EnterprisePractice, Milestone, SchoolYear, Teacher

_ATTRS = {"class": "table table-sm table-hover align-middle"}


def percent(value: float | None) -> str:
    return "—" if value is None else "%.1f%%" % (value * 100)


def share_badge(high: int, total: int):
    """A school's share with a green or red badge against the 90% goal."""
    if not total:
        return format_html('<span class="text-muted">—</span>')
    met = high * 100 >= total * TEACHER_GOAL_PERCENT
    return format_html(
        '<span class="badge text-bg-{}" title="目标 {}%">{}</span>',
        "success" if met else "danger",
        TEACHER_GOAL_PERCENT,
        percent(high / total),
    )


class SchoolTable(tables.Table):
    name = tables.Column(verbose_name="学校", linkify=("schools:school_detail", {"pk": tables.A("pk")}))
    kind = tables.Column(verbose_name="类别")
    region = tables.Column(verbose_name="县区")
    teacher_total = tables.Column(verbose_name="专业课及实习指导教师")
    teacher_high = tables.Column(verbose_name="高级工及以上")
    share = tables.Column(verbose_name="比例（目标90%）", empty_values=(), orderable=False)
    below = tables.Column(verbose_name="未达高级工", empty_values=(), orderable=False)
    demonstration = tables.Column(verbose_name="示范性学校", empty_values=(), orderable=False)

    class Meta:
        fields = ()
        attrs = _ATTRS

    def render_share(self, record):
        return share_badge(record.teacher_high, record.teacher_total)

    def value_share(self, record):
        return percent(record.teacher_high / record.teacher_total) if record.teacher_total else ""

    def render_below(self, record):
        below = record.teacher_total - record.teacher_high
        if not below:
            return "0"
        url = reverse("schools:teacher_list") + "?school=%d&high=false&in_post=true" % record.pk
        return format_html('<a href="{}">{}</a>', url, below)

    def value_below(self, record):
        return record.teacher_total - record.teacher_high

    def render_demonstration(self, record):
        demonstration = getattr(record, "demonstration", None)
        return demonstration.get_status_display() if demonstration else "—"

    def value_demonstration(self, record):
        demonstration = getattr(record, "demonstration", None)
        return demonstration.get_status_display() if demonstration else ""


class TeacherTable(tables.Table):
    name = tables.Column(
        verbose_name="姓名",
        accessor="person__name",
        linkify=("schools:teacher_detail", {"pk": tables.A("pk")}),
        order_by=("person__name",),
    )
    id_masked = tables.Column(verbose_name="身份证号", accessor="person__id_masked", orderable=False)
    school = tables.Column(verbose_name="学校")
    category = tables.Column(verbose_name="教师类别")
    subject = tables.Column(verbose_name="任教专业")
    highest_level = tables.Column(verbose_name="最高有效等级", accessor="person__highest_level", default="无")
    is_high = tables.BooleanColumn(verbose_name="高级工及以上", yesno="是,否")
    left_on = tables.DateColumn(verbose_name="离任日期", format="Y-m-d", default="在任")

    class Meta:
        model = Teacher
        fields = ()
        sequence = (
            "name",
            "id_masked",
            "school",
            "category",
            "subject",
            "highest_level",
            "is_high",
            "left_on",
        )
        attrs = _ATTRS

    def value_category(self, record):
        return record.get_category_display()

    def value_is_high(self, value):
        return "是" if value else "否"


class DemonstrationTable(tables.Table):
    school = tables.Column(
        verbose_name="学校", linkify=("schools:demonstration_detail", {"pk": tables.A("pk")})
    )
    kind = tables.Column(verbose_name="学校类别", accessor="school__kind")
    region = tables.Column(verbose_name="县区", accessor="school__region")
    year = tables.Column(verbose_name="扶持年度")
    status = tables.Column(verbose_name="扶持状态")
    progress = tables.Column(verbose_name="建设任务完成", empty_values=(), orderable=False)
    milestones_overdue = tables.Column(verbose_name="逾期任务")

    class Meta:
        model = DemonstrationSchool
        fields = ()
        sequence = ("school", "kind", "region", "year", "status", "progress", "milestones_overdue")
        attrs = _ATTRS

    def render_kind(self, record):
        return record.school.get_kind_display()

    value_kind = render_kind

    def value_status(self, record):
        return record.get_status_display()

    def render_progress(self, record):
        return "%d / %d" % (record.milestones_done, record.milestones_total)

    value_progress = render_progress

    def render_milestones_overdue(self, value):
        return format_html('<span class="badge text-bg-danger">{}</span>', value) if value else "0"

    def value_milestones_overdue(self, value):
        return value


def milestone_state(milestone: Milestone, on: datetime.date | None = None) -> tuple[str, str]:
    """(label, Bootstrap colour) of a milestone's progress."""
    if milestone.done_on:
        return ("逾期完成", "warning") if milestone.is_late else ("已完成", "success")
    if milestone.is_overdue(on):
        return ("已逾期", "danger")
    return ("未到期", "secondary")


class MilestoneTable(tables.Table):
    name = tables.Column(
        verbose_name="建设任务", linkify=("schools:milestone_detail", {"pk": tables.A("pk")})
    )
    school = tables.Column(verbose_name="学校", accessor="demonstration__school")
    due_on = tables.DateColumn(verbose_name="计划完成日期", format="Y-m-d")
    done_on = tables.DateColumn(verbose_name="实际完成日期", format="Y-m-d", default="—")
    state = tables.Column(verbose_name="进度", empty_values=(), orderable=False)
    evidence = tables.Column(verbose_name="佐证材料说明", default="—")

    class Meta:
        model = Milestone
        fields = ()
        sequence = ("name", "school", "due_on", "done_on", "state", "evidence")
        attrs = _ATTRS

    def render_state(self, record):
        label, colour = milestone_state(record)
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)

    def value_state(self, record):
        return milestone_state(record)[0]

    def render_evidence(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

    def value_evidence(self, value):
        return value


class PracticeTable(tables.Table):
    teacher = tables.Column(
        verbose_name="教师",
        accessor="teacher__person__name",
        linkify=("schools:practice_detail", {"pk": tables.A("pk")}),
    )
    school = tables.Column(verbose_name="学校", accessor="teacher__school")
    host_name = tables.Column(verbose_name="实践企业")
    start_on = tables.DateColumn(verbose_name="开始日期", format="Y-m-d")
    end_on = tables.DateColumn(verbose_name="结束日期", format="Y-m-d")
    days = tables.Column(verbose_name="实践天数")
    content = tables.Column(verbose_name="实践内容", default="—")

    class Meta:
        model = EnterprisePractice
        fields = ()
        sequence = ("teacher", "school", "host_name", "start_on", "end_on", "days", "content")
        attrs = _ATTRS


class SchoolYearTable(tables.Table):
    school = tables.Column(verbose_name="学校", linkify=("schools:schoolyear_detail", {"pk": tables.A("pk")}))
    year = tables.Column(verbose_name="年度")
    training_sessions = tables.Column(verbose_name="社会培训期数")
    training_trainees = tables.Column(verbose_name="社会培训人次")
    training_income = tables.Column(verbose_name="社会培训收入（万元）")
    graduates = tables.Column(verbose_name="毕业生")
    graduates_certified = tables.Column(verbose_name="双证毕业生")
    dual_rate = tables.Column(verbose_name="双证率", empty_values=(), orderable=False)

    class Meta:
        model = SchoolYear
        fields = ()
        sequence = (
            "school",
            "year",
            "training_sessions",
            "training_trainees",
            "training_income",
            "graduates",
            "graduates_certified",
            "dual_rate",
        )
        attrs = _ATTRS

    def render_dual_rate(self, record):
        return percent(record.dual_rate)

    value_dual_rate = render_dual_rate
