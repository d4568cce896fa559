from django.db import migrations

# The deadlines of the nomination workflow's waiting steps (days); the city admin edits them in 参考数据.
# 公示 has none of its own: its end is the round's publicity_end.
INITIAL = [("nomination", "submitted", 20), ("nomination", "returned", 10)]


def load(apps, schema_editor):
    StepDeadline = apps.get_model("workflow", "StepDeadline")
    for workflow, state, days in INITIAL:
        StepDeadline.objects.get_or_create(workflow=workflow, state=state, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("honours", "0002_titles"), ("workflow", "0002_step_deadlines")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
