from django.db import migrations

INITIAL = [
    ("benefit_application", "employer_review", 10),
    ("benefit_application", "county_review", 15),
    ("benefit_application", "city_review", 15),
    ("benefit_application", "returned", 30),
]


def load(apps, schema_editor):
    StepDeadline = apps.get_model("workflow", "StepDeadline")
    for workflow, state, days in INITIAL:
        StepDeadline.objects.get_or_create(workflow=workflow, state=state, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("benefits", "0007_applications"), ("workflow", "0002_step_deadlines")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
