from django.db import models

from gongjiang.common.badges import coloured


class InstitutionType(models.TextChoices):
    """The three kinds of evaluation institution the policy names (measure 五)."""

    EMPLOYER = "employer", "用人单位"
    SOCIAL = "social", "社会培训评价组织"
    SCHOOL = "school", "院校"


# First character of a 职业技能等级证书 number: Y for an employer evaluating its own staff, S for a
# social training and evaluation organisation (schools evaluate as social organisations).
CERTIFICATE_LETTER = {
    InstitutionType.EMPLOYER: "Y",
    InstitutionType.SOCIAL: "S",
    InstitutionType.SCHOOL: "S",
}


@coloured(submitted="warning", approved="success", rejected="danger", suspended="secondary", withdrawn="dark")
class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已备案"
    REJECTED = "rejected", "已退回"
    SUSPENDED = "suspended", "已暂停"
    WITHDRAWN = "withdrawn", "已撤销"


@coloured(planned="info", reported="primary", returned="danger", published="success", cancelled="dark")
class BatchStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    REPORTED = "reported", "结果已上报"
    RETURNED = "returned", "退回补正"
    PUBLISHED = "published", "已公布发证"
    CANCELLED = "cancelled", "已取消"


class CandidateResult(models.TextChoices):
    """How a candidate's result is asked for in forms and files (stored as ``passed``)."""

    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


@coloured(submitted="warning", confirmed="success", returned="danger", ended="dark")
class AppointmentStatus(models.TextChoices):
    SUBMITTED = "submitted", "待备案"
    CONFIRMED = "confirmed", "已备案"
    RETURNED = "returned", "已退回"
    ENDED = "ended", "已解聘"
