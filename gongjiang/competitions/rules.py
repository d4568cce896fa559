"""The award rules competitions start with from 2026 (data, not code): examples in the shape of
published rules such as Hainan's 2023 ones, loaded by a data migration, then edited by the city (the
award rule pages), which adds a later year's rules beside them. Title codes are honours.HonourTitle's."""

from __future__ import annotations

from decimal import Decimal

# tier, award, title, youth, women, prize, promotion, level
RULES = [
    ("worldskills", "gold", "tech_expert", "", "", 500000, "to_level", "GRADE1"),
    ("worldskills", "silver", "tech_expert", "", "", 300000, "to_level", "GRADE1"),
    ("worldskills", "bronze", "tech_expert", "", "", 200000, "to_level", "GRADE1"),
    ("worldskills", "excellence", "tech_expert", "", "", 50000, "to_level", "GRADE2"),
    ("national_1", "first", "tech_expert", "", "", 50000, "to_level", "GRADE1"),
    ("national_1", "second", "tech_expert", "", "", 30000, "to_level", "GRADE1"),
    ("national_1", "third", "tech_expert", "", "", 20000, "to_level", "GRADE2"),
    ("national_1", "gold", "tech_expert", "", "", 50000, "to_level", "GRADE1"),
    ("national_1", "silver", "tech_expert", "", "", 30000, "to_level", "GRADE1"),
    ("national_1", "bronze", "tech_expert", "", "", 20000, "to_level", "GRADE2"),
    ("national_1", "excellence", "skill_pacesetter", "", "", 5000, "one_up", None),
    ("national_2", "first", "tech_expert", "", "", 20000, "to_level", "GRADE2"),
    ("national_2", "second", "tech_expert", "", "", 10000, "one_up", None),
    ("national_2", "third", "skill_pacesetter", "", "", 5000, "one_up", None),
    ("province", "first", "tech_expert", "", "", 20000, "to_level", "GRADE2"),
    ("province", "second", "tech_expert", "", "", 10000, "one_up", None),
    ("province", "third", "skill_pacesetter", "", "", 5000, "one_up", None),
    ("city", "first", "skill_champion", "youth_post_expert", "women_pacesetter", 10000, "one_up", None),
    ("city", "second", "tech_expert", "youth_post_expert", "women_pacesetter", 5000, "one_up", None),
    ("city", "third", "skill_pacesetter", "youth_post_expert", "women_pacesetter", 3000, "one_up", None),
    ("city", "excellence", "skill_pacesetter", "", "", 1000, "none", None),
    ("trade", "first", "skill_pacesetter", "", "", 2000, "one_up", None),
    ("trade", "second", "", "", "", 1000, "none", None),
    ("trade", "third", "", "", "", 500, "none", None),
]


def load_award_rules(apps, schema_editor=None) -> None:
    AwardRule = apps.get_model("competitions", "AwardRule")
    for tier, award, title, youth, women, prize, promotion, level in RULES:
        AwardRule.objects.update_or_create(
            tier=tier,
            award=award,
            year_from=2026,
            defaults={
                "title_code": title,
                "youth_title_code": youth,
                "women_title_code": women,
                "prize": Decimal(prize),
                "promotion": promotion,
                "promotion_level_id": level,
                "note": "示例规则（演示），以当年竞赛文件为准",
            },
        )
