"""Load the checked reference data shipped in gongjiang/core/refdata/ (hand-written data migration)."""

from django.db import migrations

from gongjiang.core.refdata import load_refdata


def load(apps, schema_editor):
    load_refdata(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
