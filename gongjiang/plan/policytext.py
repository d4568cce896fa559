"""Reading the policy text: its ten measures and, at the end of each, the departments responsible
for it ("（市发改委、市教育局……按职责分工负责）"). Pure functions; the loader writes the rows."""

from __future__ import annotations

import csv
import pathlib
import re
from dataclasses import dataclass, field

DATA = pathlib.Path(__file__).parent / "data"
POLICY_FILE = DATA / "policy.txt"
DEPARTMENTS_FILE = DATA / "departments.csv"
NUMERALS = "一二三四五六七八九十"
# The counties and 功能板块 are named in the list too, but they are not departments.
COUNTY_NAMES = ("各县区人民政府", "功能板块管委会")

_MEASURE = re.compile(r"^(十|[一二三四五六七八九])、(.+)$")
_DUTIES = re.compile(r"（([^（）]+?)按职责分工负责）\s*$")


@dataclass
class MeasureText:
    number: int
    title: str
    text: str
    departments: list[str] = field(default_factory=list)  # as named, in the text's order
    counties: bool = False


def parse_measures(text: str) -> list[MeasureText]:
    """The measures of the policy text in order, each with its named departments (the first is the
    lead) and whether it names the counties and 功能板块."""
    measures = []
    for line in text.splitlines():
        line = line.strip()
        match = _MEASURE.match(line)
        if not match:
            continue
        number = NUMERALS.index(match.group(1)) + 1
        body = match.group(2)
        title = body.split("。", 1)[0]
        duties = _DUTIES.search(body)
        names = [n.strip() for n in duties.group(1).split("、") if n.strip()] if duties else []
        measures.append(
            MeasureText(
                number=number,
                title=title,
                text=body,
                departments=[n for n in names if n not in COUNTY_NAMES],
                counties=any(n in COUNTY_NAMES for n in names),
            )
        )
    return measures


def department_names() -> dict[str, str]:
    """Short name in the policy text → the department's full name (``data/departments.csv``)."""
    with DEPARTMENTS_FILE.open(encoding="utf-8") as handle:
        return {row["named_as"]: row["name"] for row in csv.DictReader(handle)}
