from django.db import models

from gongjiang.common.badges import coloured


class HonourKind(models.TextChoices):
    TITLE = "title", "荣誉称号"
    PROGRAMME = "programme", "人才项目"


class HonourLevel(models.TextChoices):
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "国家级"


class AwardSource(models.TextChoices):
    COMPETITION = "competition", "竞赛获奖"
    SELECTION = "selection", "评选入选"
    MANUAL = "manual", "登记"


@coloured(granted="success", revoked="danger")
class AwardStatus(models.TextChoices):
    GRANTED = "granted", "有效"
    REVOKED = "revoked", "已撤销"


@coloured(
    submitted="primary", returned="warning", publicity="info", selected="success", not_selected="secondary"
)
class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待市级审核"
    RETURNED = "returned", "退回补正"
    PUBLICITY = "publicity", "公示中"
    SELECTED = "selected", "入选"
    NOT_SELECTED = "not_selected", "未入选"
