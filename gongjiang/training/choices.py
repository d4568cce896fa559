from django.db import models

from gongjiang.common.badges import coloured


class ProviderKind(models.TextChoices):
    VOCATIONAL_SCHOOL = "vocational_school", "职业院校"
    TECHNICAL_SCHOOL = "technical_school", "技工院校"
    PUBLIC_BASE = "public_base", "公共实训基地"
    ENTERPRISE_CENTRE = "enterprise_centre", "企业培训中心"
    PRIVATE_PROVIDER = "private_provider", "社会培训机构"


class SubsidyClass(models.TextChoices):
    A = "A", "A类"
    B = "B", "B类"
    C = "C", "C类"


class SubsidyKind(models.TextChoices):
    VOCATIONAL = "vocational", "职业技能培训补贴"
    UPGRADE = "upgrade", "技能提升补贴"


# The benefits policy each kind is paid under (created on first approval, see services).
SUBSIDY_POLICY_CODE = {SubsidyKind.VOCATIONAL: "TRAIN-VOCATIONAL", SubsidyKind.UPGRADE: "TRAIN-UPGRADE"}


@coloured(
    county_review="primary",
    city_review="primary",
    returned="warning",
    approved="success",
    rejected="secondary",
)
class ClaimStatus(models.TextChoices):
    COUNTY_REVIEW = "county_review", "待县区审核"
    CITY_REVIEW = "city_review", "待市级审批"
    RETURNED = "returned", "退回补正"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未通过"


# A claim in these states holds its eligible lines (they count for "once" and the yearly cap).
LIVE_CLAIM = ("county_review", "city_review", "returned", "approved")


class ResourceKind(models.TextChoices):
    FACILITY = "facility", "场地设施"
    TEACHER = "teacher", "师资"
    COURSE = "course", "课程"


@coloured(pending="primary", accepted="success", declined="secondary", withdrawn="secondary")
class SharingStatus(models.TextChoices):
    PENDING = "pending", "待共享方答复"
    ACCEPTED = "accepted", "已同意共享"
    DECLINED = "declined", "未同意"
    WITHDRAWN = "withdrawn", "已撤回"
