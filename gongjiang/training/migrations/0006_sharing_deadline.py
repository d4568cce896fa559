from django.db import migrations


def load(apps, schema_editor):
    StepDeadline = apps.get_model("workflow", "StepDeadline")
    StepDeadline.objects.get_or_create(workflow="training_sharing", state="pending", defaults={"days": 10})


class Migration(migrations.Migration):
    dependencies = [("training", "0005_sharing_requests"), ("workflow", "0002_step_deadlines")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
