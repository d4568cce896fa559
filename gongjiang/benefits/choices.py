from django.db import models

from gongjiang.common.badges import coloured


class PolicyMode(models.TextChoices):
    AUTOMATIC = "automatic", "免申即享"
    APPLICATION = "application", "依申请"
    # Training subsidies (training app): granted line by line on an approved claim, never offered
    # by the engine nor applied for by a talent.
    CLAIM = "claim", "培训补贴申领"


class GrantPer(models.TextChoices):
    PERSON = "person", "每人一份（按最高符合等级）"
    LEVEL = "level", "每人每个符合等级一份"


@coloured(offered="warning", confirmed="info", payable="success", declined="secondary", stopped="danger")
class EntitlementStatus(models.TextChoices):
    OFFERED = "offered", "待确认"
    CONFIRMED = "confirmed", "已确认，待核实"
    PAYABLE = "payable", "已核实，可发放"
    DECLINED = "declined", "已放弃"
    STOPPED = "stopped", "已停发"


# Statuses in which an entitlement stands (counts for ``excludes`` and is never granted twice).
LIVE_ENTITLEMENT = ("offered", "confirmed", "payable")


@coloured(pending="warning", paid="success", failed="danger")
class PaymentStatus(models.TextChoices):
    PENDING = "pending", "待发放"
    PAID = "paid", "已发放"
    FAILED = "failed", "发放失败"


@coloured(
    employer_review="info",
    county_review="primary",
    city_review="primary",
    returned="warning",
    approved="success",
    rejected="secondary",
)
class ApplicationStatus(models.TextChoices):
    EMPLOYER_REVIEW = "employer_review", "待单位确认"
    COUNTY_REVIEW = "county_review", "待县区审核"
    CITY_REVIEW = "city_review", "待市级审批"
    RETURNED = "returned", "退回补正"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未通过"
