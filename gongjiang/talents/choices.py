from django.db import models

from gongjiang.common.badges import coloured


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


@coloured(valid="success", revoked="danger", expired="secondary")
class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    REVOKED = "revoked", "已撤销"
    EXPIRED = "expired", "已失效"


class CertificateSource(models.TextChoices):
    MANUAL = "manual", "手工录入"
    IMPORT = "import", "批量导入"
    EVALUATION = "evaluation", "评价结果"
    COMPETITION = "competition", "竞赛晋升"
