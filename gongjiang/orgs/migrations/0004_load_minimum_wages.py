"""Seed Jiangsu's minimum wage standards (hand-written data migration; see orgs.wages)."""

from django.db import migrations

from gongjiang.orgs.wages import load_minimum_wages


def load(apps, schema_editor):
    load_minimum_wages(apps)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_wage_reports")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
