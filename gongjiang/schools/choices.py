from django.db import models

from gongjiang.core import policy
from gongjiang.orgs.choices import OrgKind

# The organisation kinds that are schools in the sense of measure 二 (职业学校 and 技工学校).
SCHOOL_KINDS = (OrgKind.VOCATIONAL_SCHOOL, OrgKind.TECHNICAL_SCHOOL)
SCHOOL_KIND_CHOICES = [(kind.value, kind.label) for kind in SCHOOL_KINDS]

# Targets of measure 二 (core.policy, the one place targets are written).
TEACHER_GOAL_PERCENT = policy.TEACHER_GOAL_PERCENT  # teachers at 高级工 or above ÷ all teachers
DEMONSTRATION_GOAL = {OrgKind(kind): goal for kind, goal in policy.DEMONSTRATION_GOAL_BY_KIND.items()}


class TeacherCategory(models.TextChoices):
    PROFESSIONAL = "professional", "专业课教师"
    INTERNSHIP = "internship", "实习指导教师"


class DemonstrationStatus(models.TextChoices):
    CANDIDATE = "candidate", "拟扶持"
    SUPPORTED = "supported", "扶持建设中"
    ACCEPTED = "accepted", "已建成"
    WITHDRAWN = "withdrawn", "终止扶持"


# The statuses that count toward the 2 + 2 goal, and the allowed moves between statuses.
DEMONSTRATION_COUNTED = (DemonstrationStatus.SUPPORTED, DemonstrationStatus.ACCEPTED)
DEMONSTRATION_MOVES = {
    DemonstrationStatus.CANDIDATE: {DemonstrationStatus.SUPPORTED, DemonstrationStatus.WITHDRAWN},
    DemonstrationStatus.SUPPORTED: {DemonstrationStatus.ACCEPTED, DemonstrationStatus.WITHDRAWN},
    DemonstrationStatus.ACCEPTED: set(),
    DemonstrationStatus.WITHDRAWN: set(),
}
