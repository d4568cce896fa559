"""Identifier rules: resident IDs (GB 11643), credit codes (GB 32100), phones."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from gongjiang.common.demo import make_resident_id, make_uscc
from gongjiang.core.validators import (
    mask_phone,
    mask_resident_id,
    normalise_phone,
    normalise_resident_id,
    normalise_uscc,
)

VALID_ID = "320706199001011230"  # checksum 0


def with_check(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def test_valid_id_gives_birth_date_and_gender():
    rid = normalise_resident_id(VALID_ID)
    assert rid.number == VALID_ID
    assert rid.birth_date == datetime.date(1990, 1, 1)
    assert rid.gender == "M"  # 17th digit 3 is odd


@pytest.mark.parametrize(
    "raw",
    [
        " 320706199001011230 ",
        "３２０７０６１９９００１０１１２３０",  # full-width digits
        "320706 19900101 1230",
    ],
)
def test_id_spaces_and_full_width_digits_are_normalised(raw):
    assert normalise_resident_id(raw).number == VALID_ID


def test_lowercase_x_is_normalised():
    body = next(
        b for b in (f"3207061990010112{i}" for i in range(10)) if ric.calc_check_digit(b + "0") == "X"
    )
    assert normalise_resident_id(body + "x").number == body + "X"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("320706199001011231", "checksum"),
        (with_check("32070619900230123"), "birth_date"),  # 30 February
        (with_check("32070620990101123"), "birth_date"),  # born in the future
        (with_check("99999919900101123"), "address"),  # no such region
        ("320706900101123", "old_format"),  # 15-digit pre-1999 number
        ("3.20706199001011E+17", "numeric"),  # Excel number column
        ("32070619900101", "length"),
        ("32070619900101123A", "format"),
        ("", "required"),
    ],
)
def test_bad_ids_are_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as exc:
        normalise_resident_id(raw)
    assert exc.value.code == code
    assert VALID_ID not in str(exc.value.messages)


def test_truncated_id_with_trailing_zeros_is_explained():
    with pytest.raises(ValidationError) as exc:
        normalise_resident_id("320706199001011000")
    assert exc.value.code in {"truncated", "checksum"}
    if ric.calc_check_digit("320706199001011000") != "0":
        assert exc.value.code == "truncated"
        assert "文本格式" in exc.value.messages[0]


def test_address_code_that_no_longer_exists_is_accepted_for_any_birth_year():
    # 320705 (新浦区) existed 1986–2014; someone born in 1975 may hold a 320705 number.
    assert normalise_resident_id(with_check("32070519750312123")).number.startswith("320705")
    # 320706 (海州区) in its current form dates from 2001; a 1975 birth is still real.
    assert normalise_resident_id(with_check("32070619750312123")).birth_date.year == 1975


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), position=st.integers(min_value=0, max_value=17))
def test_every_generated_id_passes_and_every_single_digit_change_fails(seed, position):
    number = make_resident_id(random.Random(seed))
    assert normalise_resident_id(number).number == number
    original = number[position]
    replacement = "0" if original != "0" else "1"
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        normalise_resident_id(changed)


def test_uscc_valid_and_invalid():
    code = make_uscc(random.Random(3))
    assert normalise_uscc(code.lower()) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        normalise_uscc(wrong)
    assert exc.value.code == "uscc"
    with pytest.raises(ValidationError) as exc:
        normalise_uscc("91320706")
    assert exc.value.code == "length"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("138 1234 5678", "13812345678"), ("+8613812345678", "13812345678"), ("0518-85801234", "0518-85801234")],
)
def test_phone_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "abc"])
def test_bad_phone_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_masks():
    assert mask_resident_id(VALID_ID) == "320706********1230"
    assert mask_phone("13812345678") == "138****5678"
