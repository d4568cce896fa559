from django.db import models

from gongjiang.common.badges import coloured


@coloured(
    county_review="primary",
    returned="warning",
    city_review="info",
    recognised="success",
    rejected="secondary",
    revoked="danger",
)
class CarrierStatus(models.TextChoices):
    COUNTY_REVIEW = "county_review", "待县区初审"
    RETURNED = "returned", "退回补正"
    CITY_REVIEW = "city_review", "待市级评审"
    RECOGNISED = "recognised", "已认定"
    REJECTED = "rejected", "未通过"
    REVOKED = "revoked", "已撤销"


# Statuses in which a carrier is "live": a host may hold one such carrier per type and leader.
ACTIVE_STATUSES = (
    CarrierStatus.COUNTY_REVIEW,
    CarrierStatus.RETURNED,
    CarrierStatus.CITY_REVIEW,
    CarrierStatus.RECOGNISED,
)


class CarrierLevel(models.TextChoices):
    COUNTY = "county", "县级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"


# Rank of each level: an upgrade moves to a higher rank; 市级 and above count toward the target.
LEVEL_RANK = {
    CarrierLevel.COUNTY: 1,
    CarrierLevel.CITY: 2,
    CarrierLevel.PROVINCE: 3,
    CarrierLevel.NATIONAL: 4,
}
CITY_OR_ABOVE = (CarrierLevel.CITY, CarrierLevel.PROVINCE, CarrierLevel.NATIONAL)


class AssessmentResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    QUALIFIED = "qualified", "合格"
    FAILED = "failed", "不合格"


class CarrierSource(models.TextChoices):
    DECLARED = "declared", "在线申报"
    IMPORT = "import", "批量导入"


class EventAction(models.TextChoices):
    DECLARE = "declare", "申报"
    UPDATE = "update", "修改申报材料"
    RESUBMIT = "resubmit", "补正后重新提交"
    COUNTY_PASS = "county_pass", "县区初审通过"
    RETURN = "return", "退回补正"
    REJECT = "reject", "不予通过"
    SCORE = "score", "录入专家评分"
    RECOGNISE = "recognise", "认定"
    ASSESS = "assess", "年度考核"
    UPGRADE = "upgrade", "升级"
    REVOKE = "revoke", "撤销"
    IMPORT = "import", "批量导入已认定载体"
