"""Converters from what people type into spreadsheets and forms to clean values.

Plain functions, one per kind of column; each returns the clean value (None for blank) or raises
``ValidationError`` with a Chinese reason. The import pipeline and the forms share them.
"""

from __future__ import annotations

import datetime
import functools
import re

from django.core.exceptions import ValidationError

from .validators import clean_text, local_today

EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
DATE_HELP = "日期可写作 2024-05-01、2024/5/1、2024.5.1、2024年5月1日 或 20240501"


def text(value: object, *, max_length: int | None = None) -> str | None:
    cleaned = clean_text(value)
    if not cleaned:
        return None
    if max_length and len(cleaned) > max_length:
        raise ValidationError("内容过长（最多%(n)s个字）", params={"n": max_length})
    return cleaned


EXACT_DIGITS = 15  # a spreadsheet number keeps 15 significant digits; past them it changes them
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")


def digits(value: object, *, label: str, max_length: int | None = None) -> str | None:
    """Text for a column of digits (phone, certificate number, occupation code) that may arrive as
    an ordinary number cell: an integer-valued number becomes its digits (15054395418.0 →
    15054395418). A number of more than 15 digits, or one in scientific notation, is refused:
    the spreadsheet has already changed its last digits, and no one can say what they were."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if len(str(abs(value))) > EXACT_DIGITS:
            raise ValidationError(
                "%(label)s被表格软件存成了数字（科学计数法），超过15位的部分已被改动；"
                "请把该列设为文本格式后重新填写",
                code="numeric",
                params={"label": label},
            )
        value = str(value)
    cleaned = text(value, max_length=max_length)
    if cleaned and _SCIENTIFIC.fullmatch(cleaned):
        raise ValidationError(
            "%(label)s被表格软件存成了数字（科学计数法），后几位已丢失；请把该列设为文本格式后重新填写",
            code="numeric",
            params={"label": label},
        )
    return cleaned


def date(
    value: object, *, earliest: datetime.date = datetime.date(1950, 1, 1), future: bool = False
) -> datetime.date | None:
    """A date from an Excel date cell, an Excel serial number, or text in the usual forms; a date
    after today is refused unless ``future`` (periods of validity end in the future)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != int(value) and value > 100000:
            raise ValidationError("日期格式无法识别。" + DATE_HELP)
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return date(str(int(value)), earliest=earliest, future=future)
        if not 1 <= value <= 80000:
            raise ValidationError("日期格式无法识别。" + DATE_HELP)
        result = EXCEL_EPOCH + datetime.timedelta(days=int(value))
    else:
        raw = clean_text(value)
        if not raw:
            return None
        result = _text_date(raw)
        if result is None:
            if re.fullmatch(r"\d+(\.0+)?", raw):
                return date(float(raw), earliest=earliest, future=future)
            raise ValidationError("日期格式无法识别。" + DATE_HELP)
    if result < earliest:
        raise ValidationError("日期早于%(d)s，请核对", params={"d": earliest.isoformat()})
    if result > local_today() and not future:
        raise ValidationError("日期晚于今天，请核对")
    return result


@functools.lru_cache(maxsize=65_536)
def _text_date(raw: str) -> datetime.date | None:
    """The date a text such as 2024/5/1 names; None when it has none of the usual forms. Cached:
    a roster repeats its dates."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()[:3]))
            except ValueError:
                raise ValidationError("日期不存在") from None
    return None


class Lookup:
    """A case- and width-insensitive map from the names and codes people write to a key."""

    MEMO_SIZE = 20_000

    def __init__(self, label: str, pairs: dict[str, str]):
        self.label = label
        self._map = {self.norm(k): v for k, v in pairs.items() if k}
        # A roster repeats the same few names on every row: remember what each raw value meant.
        self._memo: dict[object, str | None] = {}

    @staticmethod
    def norm(value: object) -> str:
        return re.sub(r"[\s\u3000]+", "", clean_text(value)).lower()

    def get(self, value: object) -> str | None:
        try:
            return self._memo[value]
        except (KeyError, TypeError):
            pass
        found = self._map.get(self.norm(value))
        if len(self._memo) < self.MEMO_SIZE and type(value) in (str, int):
            self._memo[value] = found
        return found

    def __call__(self, value: object) -> str | None:
        found = self.get(value)
        if found is not None:
            return found
        if clean_text(value) == "":
            return None
        raise ValidationError("无法识别的%(label)s", params={"label": self.label})


_LEVEL_NOISE = re.compile(r"(国家职业资格|职业技能等级|职业资格|等级|证书|级别)")


class LevelLookup(Lookup):
    """Levels written as 学徒工 … 首席技师, as 五级 … 一级, as '三级/高级工' or '高级工（三级）'."""

    def __init__(self, label: str, pairs: dict[str, str]):
        super().__init__(label, pairs)
        self._parsed: dict[object, str | None] = {}  # '三级/高级工' → its code, as first worked out

    def __call__(self, value: object) -> str | None:
        found = self.get(value)
        if found:
            return found
        try:
            return self._parsed[value]
        except (KeyError, TypeError):
            pass
        found = self._parse(value)
        if len(self._parsed) < self.MEMO_SIZE and type(value) is str:
            self._parsed[value] = found
        return found

    def _parse(self, value: object) -> str | None:
        raw = clean_text(value)
        if not raw:
            return None
        stripped = _LEVEL_NOISE.sub("", raw)
        parts = [p for p in re.split(r"[/／()（）、,，\s]+", stripped) if p]
        codes = {self.get(p) for p in parts} - {None}
        if len(codes) == 1:
            return codes.pop()
        if len(codes) > 1:
            raise ValidationError("技能等级前后矛盾")
        raise ValidationError(
            "无法识别的技能等级，应为 初级工/中级工/高级工/技师/高级技师/特级技师/首席技师 或 五级…一级"
        )
