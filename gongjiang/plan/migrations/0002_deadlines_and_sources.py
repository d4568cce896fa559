from django.db import migrations

DEADLINES = [
    ("progress_report", "submitted", 15),
    ("progress_report", "returned", 10),
    ("supervision", "open", 10),
    ("supervision", "replied", 10),
]
# 措施十 names the first two; the third is the city's talent fund. Benefit payments (措施九:
# 购房券、生活补贴等待遇) are counted against 人才发展专项 until the city says otherwise.
SOURCES = [("就业补助资金", None, 1), ("职业教育专项资金", None, 2), ("人才发展专项", 9, 3)]


def load(apps, schema_editor):
    # The ten measures are reference data read from the policy text; their departments are
    # organisations, loaded by ``plan_load`` / seed_demo (services.measures_load).
    from gongjiang.plan.policytext import POLICY_FILE, parse_measures

    Measure = apps.get_model("plan", "Measure")
    for m in parse_measures(POLICY_FILE.read_text(encoding="utf-8")):
        Measure.objects.update_or_create(
            number=m.number, defaults={"title": m.title, "text": m.text, "counties": m.counties}
        )
    StepDeadline = apps.get_model("workflow", "StepDeadline")
    for workflow, state, days in DEADLINES:
        StepDeadline.objects.get_or_create(workflow=workflow, state=state, defaults={"days": days})
    FundingSource = apps.get_model("plan", "FundingSource")
    for name, measure, position in SOURCES:
        FundingSource.objects.get_or_create(
            name=name, defaults={"benefit_measure_id": measure, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("plan", "0001_initial"), ("workflow", "0002_step_deadlines")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
