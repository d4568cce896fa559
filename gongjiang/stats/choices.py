from django.db import models


class Dimension(models.TextChoices):
    """The breakdowns a ``Tally`` row belongs to (its ``key`` is a code of that dimension)."""

    REGION = "region", "县区"
    DOMAIN = "domain", "重点领域"
    LEVEL = "level", "等级"
    EMPLOYER_KIND = "employer_kind", "单位类别"
    FLAG = "flag", "单位标识"
    OCCUPATION = "occupation", "职业"


class EmployerFlag(models.TextChoices):
    CHAIN_LEADER = "chain_leader", "链主企业"
    SPECIALISED = "specialised", "专精特新"
    STATE_OWNED = "state_owned", "国有企业"


class RefreshTrigger(models.TextChoices):
    CHANGE = "change", "数据变更"
    MANUAL = "manual", "手动刷新"
    COMMAND = "command", "命令行"
    DEMO = "demo", "演示数据"


class Status(models.TextChoices):
    AHEAD = "ahead", "超前"
    ON_PACE = "on_pace", "符合进度"
    BEHIND = "behind", "落后"
    MET = "met", "已达标"
    NO_OFFICIAL = "no_official", "无官方数"  # a share whose official denominator is not entered
    UNKNOWN = "unknown", "—"


class SplitTarget(models.TextChoices):
    """The city-wide count targets the city may split by county (a ratio target, ≥ 33% or ≥ 90%,
    applies to each county as it stands and is not split)."""

    NEW_HIGH_SKILLED = "new_high_skilled", "新增高技能人才（人）"
    NEW_CARRIERS = "new_carriers", "新建市级以上培养载体（家）"
    DEMONSTRATION_SCHOOLS = "demonstration_schools", "高水平示范性学校（所）"
