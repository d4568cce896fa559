from django.db import migrations

# The deadlines the waiting steps of the evaluation workflows start with (days); the city admin
# edits them in 参考数据. Carriers keep theirs in the per-type carrier rules.
INITIAL = [
    ("filing", "submitted", 15),
    ("filing", "rejected", 30),
    ("batch", "reported", 15),
    ("batch", "returned", 15),
    ("appointment", "submitted", 15),
]


def load(apps, schema_editor):
    StepDeadline = apps.get_model("workflow", "StepDeadline")
    for workflow, state, days in INITIAL:
        StepDeadline.objects.get_or_create(workflow=workflow, state=state, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
