from django.db import migrations

from gongjiang.honours.titles import load_titles


class Migration(migrations.Migration):
    dependencies = [("honours", "0001_initial"), ("core", "0002_load_refdata")]

    operations = [migrations.RunPython(load_titles, migrations.RunPython.noop)]
