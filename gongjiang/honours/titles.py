"""Honour titles and talent programmes named by measures 六 and 八 (the city edits them later).
Titles and programmes open to every worker (劳模, 五一劳动奖章, the talent programmes) set no minimum
skill level: the share of high-skilled among their nominees is what measure 八 asks to raise. Those
that are skill posts (工作室领办人, 首席技师) require one. Loaded by a data migration; the city edits them on the reference-data pages."""

from __future__ import annotations

from decimal import Decimal

# code, name, kind, level, awarding body, cycle, quota, target share, min level, years, clean years, by competition
TITLES = [
    ("skill_champion", "连云港技能状元", "title", "city", "市人社局", 1, 20, None, None, 0, 0, True),
    ("tech_expert", "连云港市技术能手", "title", "city", "市人社局", 1, 50, None, None, 0, 0, True),
    ("skill_pacesetter", "连云港市技能标兵", "title", "city", "市人社局", 1, 100, None, None, 0, 0, True),
    ("youth_post_expert", "青年岗位能手", "title", "city", "团市委", 1, 50, None, None, 0, 0, True),
    ("women_pacesetter", "巾帼建功标兵", "title", "city", "市妇联", 1, 50, None, None, 0, 0, True),
    (
        "model_worker",
        "市劳动模范和先进工作者",
        "title",
        "city",
        "市委、市政府",
        5,
        100,
        "0.30",
        None,
        5,
        3,
        False,
    ),
    ("may_day_medal", "市五一劳动奖章", "title", "city", "市总工会", 1, 50, "0.30", None, 3, 3, False),
    (
        "state_allowance",
        "政府特殊津贴（推荐）",
        "programme",
        "national",
        "国务院（市人社局推荐）",
        2,
        2,
        "0.30",
        None,
        5,
        5,
        False,
    ),
    (
        "huaguoshan",
        "花果山英才“双创计划”",
        "programme",
        "city",
        "市委组织部",
        1,
        30,
        "0.20",
        None,
        3,
        3,
        False,
    ),
    (
        "project_521",
        "市高层次人才培养工程（“521工程”）",
        "programme",
        "city",
        "市委组织部",
        3,
        100,
        "0.20",
        None,
        3,
        3,
        False,
    ),
    (
        "city_allowance_expert",
        "市政府特殊津贴专家",
        "programme",
        "city",
        "市政府",
        2,
        20,
        "0.25",
        None,
        5,
        5,
        False,
    ),
    (
        "master_studio_leader",
        "市技能（乡土）大师工作室领办人",
        "title",
        "city",
        "市人社局",
        1,
        10,
        "1.00",
        "GRADE2",
        3,
        3,
        False,
    ),
    ("chief_technician", "企业首席技师", "title", "city", "市人社局", 1, 20, "1.00", "GRADE1", 5, 3, False),
]


def load_titles(apps, schema_editor=None) -> None:
    HonourTitle = apps.get_model("honours", "HonourTitle")
    for order, row in enumerate(TITLES):
        code, name, kind, level, body, cycle, quota, share, min_level, years, clean, by_competition = row
        HonourTitle.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "level": level,
                "awarding_body": body,
                "cycle_years": cycle,
                "quota": quota,
                "target_high_share": Decimal(share) if share else None,
                "min_level_id": min_level,
                "min_years_in_post": years,
                "clean_years": clean,
                "by_competition": by_competition,
                "sort_order": order * 10,
            },
        )
