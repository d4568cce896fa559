from django.db import models


class OrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    VOCATIONAL_SCHOOL = "vocational_school", "职业学校"
    TECHNICAL_SCHOOL = "technical_school", "技工学校"
    TRAINING_INSTITUTION = "training_institution", "培训机构"
    EVALUATION_INSTITUTION = "evaluation_institution", "评价机构"
    ASSOCIATION = "association", "行业协会"
    PUBLIC_TRAINING_BASE = "public_training_base", "公共实训基地"
    DEPARTMENT = "department", "政府部门"


class OrgSize(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"
