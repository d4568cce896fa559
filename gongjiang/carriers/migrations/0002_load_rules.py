"""Seed the per-type carrier rules (hand-written data migration; see gongjiang/carriers/rules.py)."""

from django.db import migrations

from gongjiang.carriers.rules import load_rules


def load(apps, schema_editor):
    load_rules(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("carriers", "0001_initial"),
        ("core", "0002_load_refdata"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
