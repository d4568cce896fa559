"""Seed the appointment rules (评聘条件) as data: 特级技师 requires 高级技师, 首席技师 requires
特级技师 (hand-written data migration; the city admin may edit the rows later)."""

from django.db import migrations

RULES = [
    # level, prerequisite, the character in the level position of the certificate number
    ("SPECIAL", "GRADE1", "T"),
    ("CHIEF", "SPECIAL", "C"),
]


def load_rules(apps, schema_editor=None):
    AppointmentRule = apps.get_model("evaluation", "AppointmentRule")
    for level, prerequisite, code in RULES:
        AppointmentRule.objects.update_or_create(
            level_id=level, defaults={"prerequisite_id": prerequisite, "certificate_code": code}
        )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial"), ("core", "0002_load_refdata")]

    operations = [migrations.RunPython(load_rules, migrations.RunPython.noop)]
