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
