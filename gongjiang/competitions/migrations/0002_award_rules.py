from django.db import migrations

from gongjiang.competitions.rules import load_award_rules


class Migration(migrations.Migration):
    dependencies = [("competitions", "0001_initial"), ("core", "0002_load_refdata")]

    operations = [migrations.RunPython(load_award_rules, migrations.RunPython.noop)]
