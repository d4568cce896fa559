"""Seed the subsidy table, the yearly cap and the claim's step deadlines.

The amounts are 演示 (demo): Jiangsu's 2023 class A/B/C amounts are not in a published text the
project holds (/work/shared/policy, refdata), so every row is marked demo until the city enters the
published figures in 参考数据."""

from decimal import Decimal

from django.db import migrations

BASIS = "演示：江苏省2023年职业技能培训补贴标准（A/B/C类）未取得公布文本，金额待核对"
VOCATIONAL = {
    "A": {"GRADE5": 1500, "GRADE4": 2000, "GRADE3": 2500, "GRADE2": 3000, "GRADE1": 3500},
    "B": {"GRADE5": 1200, "GRADE4": 1600, "GRADE3": 2000, "GRADE2": 2400, "GRADE1": 2800},
    "C": {"GRADE5": 900, "GRADE4": 1200, "GRADE3": 1500, "GRADE2": 1800, "GRADE1": 2100},
}
UPGRADE_BASIS = "演示：技能提升补贴按证书等级核定（初级1000、中级1500、高级2000元为常见标准），待核对"
UPGRADE = {"GRADE5": 1000, "GRADE4": 1500, "GRADE3": 2000, "GRADE2": 2500, "GRADE1": 3000}
DEADLINES = [("training_claim", "county_review", 15), ("training_claim", "city_review", 15), ("training_claim", "returned", 30)]


def load(apps, schema_editor):
    SubsidyRate = apps.get_model("training", "SubsidyRate")
    ClaimCap = apps.get_model("training", "ClaimCap")
    StepDeadline = apps.get_model("workflow", "StepDeadline")
    for subsidy_class, amounts in VOCATIONAL.items():
        for level, amount in amounts.items():
            SubsidyRate.objects.get_or_create(
                kind="vocational",
                subsidy_class=subsidy_class,
                level_id=level,
                defaults={"amount": Decimal(amount), "basis": BASIS, "demo": True},
            )
            SubsidyRate.objects.get_or_create(
                kind="upgrade",
                subsidy_class=subsidy_class,
                level_id=level,
                defaults={"amount": Decimal(UPGRADE[level]), "basis": UPGRADE_BASIS, "demo": True},
            )
    for year in range(2023, 2031):
        ClaimCap.objects.get_or_create(year=year, defaults={"max_lines": 3, "demo": True})
    for workflow, state, days in DEADLINES:
        StepDeadline.objects.get_or_create(workflow=workflow, state=state, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial"), ("workflow", "0002_step_deadlines")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
