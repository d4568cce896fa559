"""The reference-data CSV files shipped in ``refdata/`` (copied from the checked shared set).

Read by the data migration that loads them, and by validators that need the historic codes before
any database exists. The files never change at run time, so reading them once is safe.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

REFDATA_DIR = Path(__file__).resolve().parent / "refdata"

MAJOR_GROUPS = {
    "1": "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
    "2": "专业技术人员",
    "3": "办事人员和有关人员",
    "4": "社会生产服务和生活服务人员",
    "5": "农、林、牧、渔业生产及辅助人员",
    "6": "生产制造及有关人员",
    "7": "军人",
    "8": "不便分类的其他从业人员",
}


def read_rows(name: str) -> list[dict[str, str]]:
    with (REFDATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


@functools.cache
def historic_region_codes() -> frozenset[str]:
    return frozenset(row["code"] for row in read_rows("historic_region_codes.csv"))


def load_refdata(apps) -> None:
    """Create or update every reference row from the CSV files (idempotent). ``apps`` is a
    migration state's registry or ``django.apps.apps``."""
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
