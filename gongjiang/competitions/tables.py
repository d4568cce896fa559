"""Tables of competitions: each drives its list page and its export."""

import django_tables2 as tables

from gongjiang.common.badges import object_badge

from .models import AwardRule, Competition, Result

_ATTRS = {"class": "table table-sm table-hover align-middle"}


class CompetitionTable(tables.Table):
    name = tables.Column(
        verbose_name="竞赛名称", linkify=("competitions:competition_detail", {"pk": tables.A("pk")})
    )
    tier = tables.Column(verbose_name="竞赛类别")
    year = tables.Column(verbose_name="年度")
    organiser = tables.Column(verbose_name="主办单位")
    held_on = tables.DateColumn(verbose_name="举办日期", format="Y-m-d")
    events = tables.Column(verbose_name="项目数", accessor="event_count", orderable=False)

    class Meta:
        model = Competition
        fields = ()
        sequence = ("name", "tier", "year", "organiser", "held_on", "events")
        attrs = _ATTRS

    def value_tier(self, record):
        return record.get_tier_display()


class ResultTable(tables.Table):
    person = tables.Column(
        verbose_name="选手", linkify=("talents:person_detail", {"pk": tables.A("person_id")})
    )
    competition = tables.Column(verbose_name="竞赛", accessor="event__competition__name")
    event = tables.Column(
        verbose_name="项目",
        accessor="event__name",
        linkify=("competitions:event_detail", {"pk": tables.A("event_id")}),
    )
    rank = tables.Column(verbose_name="名次")
    award = tables.Column(verbose_name="奖项")
    titles = tables.Column(verbose_name="授予称号")
    promotion_note = tables.Column(verbose_name="等级晋升")
    prize = tables.Column(verbose_name="奖金（元）")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Result
        fields = ()
        sequence = (
            "person",
            "competition",
            "event",
            "rank",
            "award",
            "titles",
            "promotion_note",
            "prize",
            "status",
        )
        attrs = _ATTRS

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def value_award(self, record):
        return record.get_award_display()


class AwardRuleTable(tables.Table):
    tier = tables.Column(verbose_name="竞赛类别")
    award = tables.Column(verbose_name="奖项")
    year_from = tables.Column(verbose_name="适用年度起")
    title_code = tables.Column(verbose_name="荣誉称号")
    extra = tables.Column(verbose_name="另授（35岁以下/女性）", empty_values=(), orderable=False)
    prize = tables.Column(verbose_name="奖金（元）")
    promotion = tables.Column(verbose_name="等级晋升", empty_values=())
    edit = tables.LinkColumn(
        "competitions:awardrule_update",
        args=[tables.A("pk")],
        text="修改",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = AwardRule
        fields = ()
        sequence = ("tier", "award", "year_from", "title_code", "extra", "prize", "promotion", "edit")
        attrs = _ATTRS

    def __init__(self, *args, titles: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.titles = titles or {}

    def render_title_code(self, value):
        return self.titles.get(value, value)

    value_title_code = render_title_code

    def render_extra(self, record):
        parts = [self.titles.get(c, c) for c in (record.youth_title_code, record.women_title_code) if c]
        return "、".join(parts) or "—"

    value_extra = render_extra

    def render_promotion(self, record):
        if record.promotion == "to_level":
            return "直接晋升到%s" % record.promotion_level.name
        return record.get_promotion_display()

    value_promotion = render_promotion
