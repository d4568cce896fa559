"""The rules each carrier type starts with (data, not code): loaded by a data migration, then
edited by the city admin on the reference-data pages. Types not listed take the field defaults."""

from __future__ import annotations

# carrier type code -> non-default rule values
INITIAL_RULES: dict[str, dict[str, object]] = {
    # A 技能大师工作室 is led by a high-skilled talent at 技师 (二级) or above.
    "skill_master_studio": {"min_leader_level_id": "GRADE2", "lockout_years": 3},
    "rural_master_studio": {"lockout_years": 3},
    "model_worker_studio": {"lockout_years": 3},
    "industry_education_base": {"lockout_years": 3, "city_review_days": 45},
    "hs_training_base": {"lockout_years": 3, "city_review_days": 45},
    "public_training_base": {"lockout_years": 3, "city_review_days": 45},
    "rural_craftsman_station": {"lockout_years": 2, "min_expert_scores": 3},
    "famous_teacher_studio": {"min_leader_level_id": "GRADE3", "lockout_years": 2},
    "master_heritage_house": {"lockout_years": 2},
    "competition_training_base": {"lockout_years": 3},
}


def load_rules(apps) -> None:
    """Create the rule row of every carrier type that has none (idempotent; never overwrites a
    rule the city admin has edited). ``apps`` is a migration state's registry or django.apps.apps."""
    CarrierType = apps.get_model("core", "CarrierType")
    CarrierRule = apps.get_model("carriers", "CarrierRule")
    SkillLevel = apps.get_model("core", "SkillLevel")
    levels = set(SkillLevel.objects.values_list("code", flat=True))
    for code in CarrierType.objects.values_list("code", flat=True):
        values = dict(INITIAL_RULES.get(code, {}))
        if values.get("min_leader_level_id") not in levels:
            values.pop("min_leader_level_id", None)
        CarrierRule.objects.get_or_create(carrier_type_id=code, defaults=values)
