from django.db import models

from gongjiang.common.badges import coloured


class PolicyMode(models.TextChoices):
    AUTOMATIC = "automatic", "免申即享"
    APPLICATION = "application", "依申请"


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
