"""Load the checked reference data shipped in gongjiang/core/refdata/ (hand-written data migration)."""

from django.db import migrations

from gongjiang.core.refdata import MAJOR_GROUPS, read_rows


def load(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    HistoricRegionCode = apps.get_model("core", "HistoricRegionCode")
    SkillLevel = apps.get_model("core", "SkillLevel")
    Domain = apps.get_model("core", "Domain")
    CertificateType = apps.get_model("core", "CertificateType")
    CarrierType = apps.get_model("core", "CarrierType")
    Occupation = apps.get_model("core", "Occupation")

    for order, row in enumerate(read_rows("regions.csv")):
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "parent_id": row["parent_code"] or None,
                "code_source": row["code_source"],
                "sort_order": order,
            },
        )
    for row in read_rows("historic_region_codes.csv"):
        HistoricRegionCode.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "valid_from": int(row["valid_from"]),
                "valid_to": int(row["valid_to"]),
                "now_part_of_id": row["now_part_of"],
            },
        )
    for row in read_rows("skill_levels.csv"):
        SkillLevel.objects.update_or_create(
            code=row["code"],
            defaults={
                "rank": int(row["rank"]),
                "name": row["name"],
                "grade": row["grade"],
                "certificate_digit": row["certificate_digit"],
                "is_high_skilled": row["is_high_skilled"] == "true",
            },
        )
    for order, row in enumerate(read_rows("domains.csv")):
        Domain.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "gbt4754_sections": row["gbt4754_sections"],
                "examples": row["examples"],
                "sort_order": order,
            },
        )
    for order, row in enumerate(read_rows("certificate_types.csv")):
        cert_type, _ = CertificateType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "has_level": row["has_level"] == "true",
                "issuer": row["issuer"],
                "notes": row["notes"],
                "sort_order": order,
            },
        )
        codes = [c for c in row["levels_allowed"].split(";") if c]
        cert_type.levels_allowed.set(SkillLevel.objects.filter(code__in=codes))
    for order, row in enumerate(read_rows("carrier_types.csv")):
        CarrierType.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "counts_toward_target": row["counts_toward_target"] == "true",
                "levels": row["levels"],
                "notes": row["notes"],
                "sort_order": order,
            },
        )
    for code, name in MAJOR_GROUPS.items():
        Occupation.objects.update_or_create(code=code, defaults={"name": name, "kind": "major"})
    for row in read_rows("occupation_minor_groups.csv"):
        Occupation.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "kind": "minor", "parent_id": row["major_group"]}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
