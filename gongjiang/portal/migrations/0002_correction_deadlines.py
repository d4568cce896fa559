from django.db import migrations

# The deadlines of the correction workflow's waiting steps (days); the city admin edits them in 参考数据.
INITIAL = [("correction", "submitted", 15), ("correction", "returned", 30)]


def load(apps, schema_editor):
    StepDeadline = apps.get_model("workflow", "StepDeadline")
    for workflow, state, days in INITIAL:
        StepDeadline.objects.get_or_create(workflow=workflow, state=state, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial"), ("workflow", "0002_step_deadlines")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
