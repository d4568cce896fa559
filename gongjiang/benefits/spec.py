"""A benefit policy as data: the stable JSON format of ``policies load`` / ``policies dump``, read
into a typed ``PolicySpec`` with every rule checked, each refusal in Chinese naming the policy and
the field. A file is taken whole or not at all.

    {"code": "HZ-SKILL-ALLOWANCE", "name": "…", "basis": "…", "department": "…", "mode": "automatic",
     "effective": ["2024-05-01", null], "regions": ["320706"],
     "levels": {"GRADE3": 5000, "GRADE2": 8000}, "certificate_types": ["skill_level"],
     "attained": ["2024-05-01", null], "first_time": true, "domains": [], "shortage_only": false,
     "max_age": null, "introduced": null, "per": "person", "instalments": 3, "excludes": [],
     "budget": {"2026": 2000000}}

``demo`` (optional, true/false) marks a policy whose amounts are not from a published text.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .choices import GrantPer, PolicyMode

FIELDS = (
    "code",
    "name",
    "basis",
    "department",
    "mode",
    "effective",
    "regions",
    "levels",
    "certificate_types",
    "attained",
    "first_time",
    "domains",
    "shortage_only",
    "max_age",
    "introduced",
    "per",
    "instalments",
    "excludes",
    "budget",
)
OPTIONAL = {"demo": False}
REQUIRED = {"code", "name", "mode", "effective", "levels", "certificate_types"}
DEFAULTS = {
    "basis": "",
    "department": "",
    "regions": [],
    "attained": None,
    "first_time": False,
    "domains": [],
    "shortage_only": False,
    "max_age": None,
    "introduced": None,
    "per": GrantPer.PERSON.value,
    "instalments": 1,
    "excludes": [],
    "budget": {},
}
CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")
MAX_AMOUNT = Decimal("10000000")


class SpecError(ValueError):
    """A policy file that cannot be taken: the message says which policy, which field, and why."""


@dataclass(frozen=True)
class Window:
    """An inclusive date window; None at either end is open."""

    start: datetime.date | None
    end: datetime.date | None

    def contains(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def as_json(self) -> list[str | None]:
        return [d.isoformat() if d else None for d in (self.start, self.end)]

    def label(self) -> str:
        start = self.start.isoformat() if self.start else "不限"
        end = self.end.isoformat() if self.end else "不限"
        return "%s 至 %s" % (start, end)


@dataclass(frozen=True)
class PolicySpec:
    """One policy version's rules, exactly as the format means them (see the module docstring and
    ``engine.py``)."""

    code: str
    name: str
    basis: str
    department: str
    mode: str
    effective: Window
    regions: tuple[str, ...]
    levels: dict[str, Decimal]
    certificate_types: tuple[str, ...]
    attained: Window | None
    first_time: bool
    domains: tuple[str, ...]
    shortage_only: bool
    max_age: int | None
    introduced: Window | None
    per: str
    instalments: int
    excludes: tuple[str, ...]
    budget: dict[int, Decimal] = field(default_factory=dict)
    demo: bool = False

    def as_json(self) -> dict:
        """The file format, canonical (the same policy always gives the same JSON)."""
        return {
            "code": self.code,
            "name": self.name,
            "basis": self.basis,
            "department": self.department,
            "mode": self.mode,
            "effective": self.effective.as_json(),
            "regions": list(self.regions),
            "levels": {k: _number(v) for k, v in self.levels.items()},
            "certificate_types": list(self.certificate_types),
            "attained": self.attained.as_json() if self.attained else None,
            "first_time": self.first_time,
            "domains": list(self.domains),
            "shortage_only": self.shortage_only,
            "max_age": self.max_age,
            "introduced": self.introduced.as_json() if self.introduced else None,
            "per": self.per,
            "instalments": self.instalments,
            "excludes": list(self.excludes),
            "budget": {str(k): _number(v) for k, v in sorted(self.budget.items())},
            **({"demo": True} if self.demo else {}),
        }

    def rules_json(self) -> str:
        """What decides a new version: everything but the budget and the demo mark."""
        data = self.as_json()
        data.pop("budget"), data.pop("demo", None)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    def amount_for(self, level: str) -> Decimal:
        return self.levels[level]


def _number(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)


@dataclass(frozen=True)
class Known:
    """The reference codes a policy may name (read once per file from the database)."""

    levels: frozenset[str]
    certificate_types: frozenset[str]
    regions: frozenset[str]
    domains: frozenset[str]


class _Reader:
    def __init__(self, raw: dict, index: int, known: Known):
        self.raw, self.known = raw, known
        code = raw.get("code") if isinstance(raw.get("code"), str) else None
        self.who = "第%d个政策%s" % (index + 1, "（%s）" % code if code else "")

    def fail(self, field_name: str, reason: str) -> SpecError:
        return SpecError("%s的“%s”：%s" % (self.who, field_name, reason))

    def text(self, name: str, *, max_length: int) -> str:
        value = self.raw[name]
        if not isinstance(value, str):
            raise self.fail(name, "应为文字")
        value = value.strip()
        if name in REQUIRED and not value:
            raise self.fail(name, "不能为空")
        if len(value) > max_length:
            raise self.fail(name, "不能超过%d个字" % max_length)
        return value

    def flag(self, name: str) -> bool:
        value = self.raw[name]
        if not isinstance(value, bool):
            raise self.fail(name, "应为 true 或 false")
        return value

    def date(self, name: str, value: object) -> datetime.date | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(name, '日期应写成 "YYYY-MM-DD" 或 null')
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise self.fail(name, "“%s”不是有效日期（应为 YYYY-MM-DD）" % value) from None

    def window(self, name: str, *, required: bool = False) -> Window | None:
        value = self.raw[name]
        if value is None and not required:
            return None
        if not (isinstance(value, list) and len(value) == 2):
            raise self.fail(name, "应为 [开始日期, 结束日期]，不限的一端写 null")
        window = Window(self.date(name, value[0]), self.date(name, value[1]))
        if required and window.start is None:
            raise self.fail(name, "须有开始日期")
        if window.start and window.end and window.end < window.start:
            raise self.fail(name, "结束日期 %s 早于开始日期 %s" % (window.end, window.start))
        return window

    def codes(self, name: str, allowed: Iterable[str], what: str) -> tuple[str, ...]:
        value = self.raw[name]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(name, "应为代码列表")
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise self.fail(name, "未知的%s代码：%s" % (what, "、".join(unknown)))
        if len(set(value)) != len(value):
            raise self.fail(name, "有重复的代码")
        return tuple(value)

    def money(self, name: str, key: str, value: object) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(name, "“%s”的金额应为数字" % key)
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(name, "“%s”的金额“%s”不是数字" % (key, value)) from None
        if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != round(amount, 2):
            raise self.fail(name, "“%s”的金额应在 0 至 10,000,000 元之间，最多两位小数" % key)
        return amount


def spec_from_json(raw: object, *, index: int = 0, known: Known) -> PolicySpec:
    """One policy of a file, checked; SpecError names the policy and the field."""
    if not isinstance(raw, dict):
        raise SpecError("第%d个政策应为一个 JSON 对象" % (index + 1))
    r = _Reader(raw, index, known)
    unknown = sorted(set(raw) - set(FIELDS) - set(OPTIONAL))
    if unknown:
        raise r.fail(unknown[0], "不认识的字段（可用字段：%s）" % "、".join(FIELDS))
    missing = sorted(REQUIRED - set(raw))
    if missing:
        raise r.fail(missing[0], "缺少必填字段")
    raw = {**DEFAULTS, **OPTIONAL, **raw}
    r.raw = raw
    code = r.text("code", max_length=40)
    if not CODE.match(code):
        raise r.fail("code", "代码只能由大写字母、数字和连字符组成（2至40位）")
    if raw["mode"] not in PolicyMode.values:
        raise r.fail("mode", "应为 automatic（免申即享）或 application（依申请）")
    if raw["per"] not in GrantPer.values:
        raise r.fail("per", "应为 person 或 level")
    levels_raw = raw["levels"]
    if not isinstance(levels_raw, dict) or not levels_raw:
        raise r.fail("levels", "应为 {等级代码: 金额}，至少一个等级")
    unknown_levels = [k for k in levels_raw if k not in known.levels]
    if unknown_levels:
        raise r.fail("levels", "未知的等级代码：%s" % "、".join(unknown_levels))
    levels = {k: r.money("levels", k, v) for k, v in levels_raw.items()}
    instalments = raw["instalments"]
    if isinstance(instalments, bool) or not isinstance(instalments, int) or not 1 <= instalments <= 10:
        raise r.fail("instalments", "分期数应为 1 至 10 的整数")
    max_age = raw["max_age"]
    if max_age is not None and (
        isinstance(max_age, bool) or not isinstance(max_age, int) or not 16 <= max_age <= 80
    ):
        raise r.fail("max_age", "年龄上限应为 16 至 80 的整数，或 null")
    budget_raw = raw["budget"]
    if not isinstance(budget_raw, dict):
        raise r.fail("budget", "应为 {年度: 金额}")
    budget = {}
    for year, amount in budget_raw.items():
        if not (isinstance(year, str) and year.isdigit() and 2000 <= int(year) <= 2100):
            raise r.fail("budget", '“%s”不是年度（如 "2026"）' % year)
        budget[int(year)] = r.money("budget", year, amount)
    excludes = raw["excludes"]
    if not isinstance(excludes, list) or not all(isinstance(v, str) and CODE.match(v) for v in excludes):
        raise r.fail("excludes", "应为政策代码列表")
    if code in excludes:
        raise r.fail("excludes", "不能排除政策自身")
    return PolicySpec(
        code=code,
        name=r.text("name", max_length=100),
        basis=r.text("basis", max_length=2000),
        department=r.text("department", max_length=60),
        mode=raw["mode"],
        effective=r.window("effective", required=True),
        regions=r.codes("regions", known.regions, "县区"),
        levels=levels,
        certificate_types=r.codes("certificate_types", known.certificate_types, "证书类型")
        or _fail(r, "certificate_types", "至少一种证书类型"),
        attained=r.window("attained"),
        first_time=r.flag("first_time"),
        domains=r.codes("domains", known.domains, "重点领域"),
        shortage_only=r.flag("shortage_only"),
        max_age=max_age,
        introduced=r.window("introduced"),
        per=raw["per"],
        instalments=instalments,
        excludes=tuple(excludes),
        budget=budget,
        demo=r.flag("demo"),
    )


def _fail(reader: _Reader, name: str, reason: str):
    raise reader.fail(name, reason)


def specs_from_text(text: str, *, known: Known) -> list[PolicySpec]:
    """Every policy of a file (a JSON list, or one object); the whole file or a SpecError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError("文件不是有效的 JSON：第%d行第%d列，%s" % (exc.lineno, exc.colno, exc.msg)) from None
    items = data if isinstance(data, list) else [data]
    specs = [spec_from_json(item, index=i, known=known) for i, item in enumerate(items)]
    codes = [s.code for s in specs]
    duplicated = sorted({c for c in codes if codes.count(c) > 1})
    if duplicated:
        raise SpecError("政策代码在文件中重复：%s" % "、".join(duplicated))
    return specs
