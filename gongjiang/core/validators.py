"""Validators and normalisers for identifiers, shared by forms, services and the import pipeline.

Each ``normalise_*`` returns the canonical form or raises ``ValidationError`` with a Chinese message
that never repeats the full personal number (error messages are shown and logged).
"""

from __future__ import annotations

import datetime
import functools
import re
import time
import unicodedata
from typing import NamedTuple

from django.core.exceptions import ValidationError
from stdnum import numdb
from stdnum.cn import ric, uscc

from . import refdata

_SPACES = re.compile(r"[\s\u3000]+")
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


_clock_date: list = [0, datetime.date.min]  # [clock second, that second's local date]


def local_today() -> datetime.date:
    """The local date, read from the clock at most once a second: converters check every date of
    a million-row roster against it, and reading the local date costs more than the check."""
    second = int(time.time())
    if _clock_date[0] != second:
        _clock_date[:] = [second, datetime.date.today()]
    return _clock_date[1]


def clean_text(value: object) -> str:
    """NFKC (full-width digits, letters and spaces become ASCII) and trimmed."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isascii():
        return text.strip()
    return unicodedata.normalize("NFKC", text).strip()


def compact(value: object) -> str:
    """``clean_text`` without any inner whitespace: for codes and numbers."""
    return _SPACES.sub("", clean_text(value))


@functools.lru_cache(maxsize=8192)
def address_code_known(code: str) -> bool:
    """Whether a 6-digit address code ever existed (any period), per stdnum's GB/T 2260 history
    or our own list of historic Lianyungang codes. Cached: the lookup is the slow part of ric."""
    if code in refdata.historic_region_codes():
        return True
    results = numdb.get("cn/loc").info(code)
    return any("county" in props for _part, props in results)


class ResidentId(NamedTuple):  # a tuple: built once for each row of a million-row roster
    number: str
    birth_date: datetime.date
    gender: str  # "M" or "F"

    @property
    def address_code(self) -> str:
        return self.number[:6]


def normalise_resident_id(raw: object, *, today: datetime.date | None = None) -> ResidentId:
    """Check an 18-digit resident ID (GB 11643): characters, checksum, birth date, address code.

    The address code is accepted if it ever existed, whatever the birth year: a number is assigned
    where a person first registers, often years after birth. 15-digit numbers (pre-1999 cards) are
    refused: they have been out of use since 2013 (docs/decisions/002-resident-id-rules.md).
    """
    number = compact(raw).upper()
    if not number:
        raise ValidationError("身份证号不能为空", code="required")
    if "E" in number and re.fullmatch(r"\d+(\.\d+)?E\+?\d+", number):
        raise ValidationError(
            "身份证号被表格软件存成了数字（科学计数法），后几位已丢失；请把该列设为文本格式后重新填写",
            code="numeric",
        )
    if len(number) == 15 and number.isdigit():
        raise ValidationError("15位旧身份证号已停止使用，请填写18位身份证号", code="old_format")
    if len(number) != 18:
        raise ValidationError("身份证号应为18位，实际为%(n)s位", code="length", params={"n": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError("身份证号只能由数字和末位X组成", code="format")
    if number[17] != ric.calc_check_digit(number):
        if number.endswith("000"):
            raise ValidationError(
                "身份证号校验位错误，末尾为000，可能被表格软件按数字截断；请把该列设为文本格式后重新填写",
                code="truncated",
            )
        raise ValidationError("身份证号校验位错误", code="checksum")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError("身份证号中的出生日期不存在", code="birth_date") from None
    if birth.year < 1900 or birth > (today or local_today()):
        raise ValidationError("身份证号中的出生日期不合理", code="birth_date")
    if not address_code_known(number[:6]):
        raise ValidationError(
            "身份证号前6位地址码%(code)s不是有效的行政区划代码", code="address", params={"code": number[:6]}
        )
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, gender=gender)


def normalise_phone(raw: object) -> str:
    """A mainland mobile number (11 digits) or a landline with area code; '+86' and separators removed."""
    text = compact(raw)
    if text.startswith("+86"):
        text = text[3:]
    digits = text.replace("-", "")
    if PHONE_RE.match(digits):
        return digits
    if LANDLINE_RE.match(text):
        return text
    raise ValidationError("手机号格式不正确（应为11位手机号或带区号的固定电话）", code="phone")


def normalise_uscc(raw: object) -> str:
    """A unified social credit code (GB 32100): 18 characters with a valid check character."""
    return _normalise_uscc(compact(raw).upper())


@functools.lru_cache(maxsize=65536)
def _normalise_uscc(code: str) -> str:
    # Cached: a roster repeats its employers' codes on every row.
    if not code:
        raise ValidationError("统一社会信用代码不能为空", code="required")
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为18位，实际为%(n)s位", code="length", params={"n": len(code)}
        )
    try:
        return uscc.validate(code)
    except Exception:
        raise ValidationError(
            "统一社会信用代码“%(code)s”校验不通过", code="uscc", params={"code": code}
        ) from None


def mask_resident_id(number: str) -> str:
    """320706********1234: the address code and the last four stay, the birth date is hidden."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****0000."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


MIN_REASON = 2  # the one rule for a reason: a 退回, 撤销, 暂停 or 查看 explanation


def _trimmed(text: object) -> str:
    # Trimmed only: a reason is kept as written (full-width punctuation stays).
    return "" if text is None else str(text).strip()


def reason_is_given(text: object) -> bool:
    """Whether a reason has at least ``MIN_REASON`` characters after trimming."""
    return len(_trimmed(text)) >= MIN_REASON


def reason_clean(
    reason: object, *, what: str = "", message: str = "", field_name: str = "reason", keep: int = 300
) -> str:
    """The one reason rule: when ``what`` names a required reason, at least two characters after
    trimming (else a ValidationError at ``field_name``: ``message`` or 请填写<what>（至少2个字）);
    at most ``keep`` characters are kept."""
    text = _trimmed(reason)
    if what and len(text) < MIN_REASON:
        raise ValidationError({field_name: message or "请填写%s（至少2个字）" % what})
    return text[:keep]
