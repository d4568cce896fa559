from django.db import models


class VerifyStatus(models.TextChoices):
    """What public verification says of a certificate (the API returns the value)."""

    VALID = "valid", "有效"
    REVOKED = "revoked", "已撤销"
    EXPIRED = "expired", "已过期"


class CorrectionKind(models.TextChoices):
    PERSON = "person", "个人信息有误"
    CERTIFICATE = "certificate", "证书信息有误"
    MISSING = "missing", "缺少证书"


class CorrectionField(models.TextChoices):
    """The fields a talent may ask to have corrected (the ID number is not among them: it is the
    person's identity; a wrong ID is a new registration, handled by the county offline)."""

    NAME = "name", "姓名"
    INTRODUCED_ON = "introduced_on", "引进日期"
    CERT_NUMBER = "number", "证书编号"
    CERT_ISSUER = "issuer", "发证机构"
    CERT_ISSUE_DATE = "issue_date", "发证日期"
    CERT_OCCUPATION = "occupation_name", "证书所载职业（工种）"
    CERT_VALID_UNTIL = "valid_until", "有效期至"


PERSON_FIELDS = (CorrectionField.NAME, CorrectionField.INTRODUCED_ON)
CERTIFICATE_FIELDS = (
    CorrectionField.CERT_NUMBER,
    CorrectionField.CERT_ISSUER,
    CorrectionField.CERT_ISSUE_DATE,
    CorrectionField.CERT_OCCUPATION,
    CorrectionField.CERT_VALID_UNTIL,
)
DATE_FIELDS = (
    CorrectionField.INTRODUCED_ON,
    CorrectionField.CERT_ISSUE_DATE,
    CorrectionField.CERT_VALID_UNTIL,
)


class CorrectionStatus(models.TextChoices):
    SUBMITTED = "submitted", "待县区审核"
    RETURNED = "returned", "退回补正"
    ACCEPTED = "accepted", "已更正"
    REJECTED = "rejected", "不予更正"
