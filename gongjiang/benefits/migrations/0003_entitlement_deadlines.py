from django.db import migrations

# How long an offer waits for the talent's confirmation, and a confirmation for the county's
# check (days); the city admin edits them in 参考数据.
INITIAL = [("entitlement", "offered", 30), ("entitlement", "confirmed", 15)]


def load(apps, schema_editor):
    StepDeadline = apps.get_model("workflow", "StepDeadline")
    for workflow, state, days in INITIAL:
        StepDeadline.objects.get_or_create(workflow=workflow, state=state, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_entitlement_workflow_and_payments"), ("workflow", "0002_step_deadlines")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
