"""Tables of training: each drives its list page and its export."""

import django_tables2 as tables

from gongjiang.common.badges import object_badge

from .models import Course, EnterpriseTraining, Provider, SharingRequest, SubsidyClaim

_NOWRAP = {"td": {"class": "text-nowrap"}}
_LONG = {"td": {"class": "gj-long"}}
_ATTRS = {"class": "table table-sm table-hover align-middle"}


class CourseTable(tables.Table):
    name = tables.Column(
        verbose_name="课程", linkify=("training:course_update", {"pk": tables.A("pk")}), attrs=_LONG
    )
    provider = tables.Column(verbose_name="培训机构", accessor="provider__name", attrs=_LONG)
    occupation = tables.Column(verbose_name="职业（工种）", accessor="occupation__name")
    level = tables.Column(verbose_name="等级", accessor="level__name")
    domain = tables.Column(verbose_name="重点领域", accessor="domain__name")
    hours = tables.Column(verbose_name="课时")
    price = tables.Column(verbose_name="收费（元）", attrs=_NOWRAP)
    subsidy_class = tables.Column(verbose_name="补贴类别", empty_values=())
    published = tables.BooleanColumn(verbose_name="已发布", yesno="是,否")

    class Meta:
        model = Course
        fields = ()
        sequence = (
            "name",
            "provider",
            "occupation",
            "level",
            "domain",
            "hours",
            "price",
            "subsidy_class",
            "published",
        )
        attrs = _ATTRS

    def render_subsidy_class(self, record):
        return self.value_subsidy_class(record)

    def value_subsidy_class(self, record):
        return record.get_subsidy_class_display() if record.subsidy_class else "不享受"


class ProviderTable(tables.Table):
    name = tables.Column(
        verbose_name="机构", linkify=("training:provider_update", {"pk": tables.A("pk")}), attrs=_LONG
    )
    kind = tables.Column(verbose_name="类别")
    region = tables.Column(verbose_name="县区", accessor="region__name")
    capacity = tables.Column(verbose_name="年培训能力（人次）")
    accreditation = tables.Column(verbose_name="资质", attrs=_LONG)
    courses = tables.Column(verbose_name="课程数", accessor="course_count")
    published = tables.BooleanColumn(verbose_name="公开展示", yesno="是,否")

    class Meta:
        model = Provider
        fields = ()
        sequence = ("name", "kind", "region", "capacity", "accreditation", "courses", "published")
        attrs = _ATTRS


class SubsidyClaimTable(tables.Table):
    id = tables.Column(verbose_name="编号", linkify=("training:claim_detail", {"pk": tables.A("pk")}))
    kind = tables.Column(verbose_name="补贴种类")
    claimant = tables.Column(verbose_name="申领单位", accessor="claimant__name", attrs=_LONG)
    region = tables.Column(verbose_name="县区", accessor="region__name")
    course = tables.Column(verbose_name="课程", accessor="course__name", attrs=_LONG)
    lines = tables.Column(verbose_name="人数", accessor="line_count")
    eligible = tables.Column(verbose_name="符合", accessor="eligible_count")
    amount = tables.Column(verbose_name="金额（元）", accessor="eligible_amount", attrs=_NOWRAP)
    status = tables.Column(verbose_name="状态")
    submitted_at = tables.DateTimeColumn(verbose_name="提交时间", format="Y-m-d H:i", attrs=_NOWRAP)

    class Meta:
        model = SubsidyClaim
        fields = ()
        sequence = (
            "id",
            "kind",
            "claimant",
            "region",
            "course",
            "lines",
            "eligible",
            "amount",
            "status",
            "submitted_at",
        )
        attrs = _ATTRS

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()


class EnterpriseTrainingTable(tables.Table):
    organisation = tables.Column(
        verbose_name="企业",
        accessor="organisation__name",
        linkify=("training:record_update", {"pk": tables.A("pk")}),
        attrs=_LONG,
    )
    region = tables.Column(verbose_name="县区", accessor="organisation__region__name")
    year = tables.Column(verbose_name="年度")
    has_training_system = tables.BooleanColumn(verbose_name="培训制度", yesno="有,无")
    in_development_plan = tables.BooleanColumn(verbose_name="纳入发展规划", yesno="是,否")
    in_manager_targets = tables.BooleanColumn(verbose_name="列入任期目标", yesno="是,否")
    congress_report_on = tables.DateColumn(verbose_name="向职代会报告", format="Y-m-d", attrs=_NOWRAP)
    trained = tables.Column(verbose_name="培训人次", accessor="trained_total", orderable=False)
    education_fund = tables.Column(verbose_name="职工教育经费（元）", attrs=_NOWRAP)
    chain = tables.Column(verbose_name="培训链上企业", accessor="chain_count")

    class Meta:
        model = EnterpriseTraining
        fields = ()
        sequence = (
            "organisation",
            "region",
            "year",
            "has_training_system",
            "in_development_plan",
            "in_manager_targets",
            "congress_report_on",
            "trained",
            "education_fund",
            "chain",
        )
        attrs = _ATTRS


class SharingRequestTable(tables.Table):
    id = tables.Column(verbose_name="编号", linkify=("training:sharing_detail", {"pk": tables.A("pk")}))
    requester = tables.Column(verbose_name="申请单位", accessor="requester__name", attrs=_LONG)
    provider = tables.Column(verbose_name="共享方", accessor="provider__name", attrs=_LONG)
    resource = tables.Column(verbose_name="共享资源")
    needed_from = tables.DateColumn(verbose_name="开始", format="Y-m-d", attrs=_NOWRAP)
    needed_to = tables.DateColumn(verbose_name="结束", format="Y-m-d", attrs=_NOWRAP)
    status = tables.Column(verbose_name="状态")
    submitted_at = tables.DateTimeColumn(verbose_name="提交时间", format="Y-m-d H:i", attrs=_NOWRAP)

    class Meta:
        model = SharingRequest
        fields = ()
        sequence = (
            "id",
            "requester",
            "provider",
            "resource",
            "needed_from",
            "needed_to",
            "status",
            "submitted_at",
        )
        attrs = _ATTRS

    def render_status(self, record):
        return object_badge(record)

    def value_status(self, record):
        return record.get_status_display()
