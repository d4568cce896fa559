"""SM4-GCM at rest, HMAC-SM3 lookup, key versions and rotation."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongjiang.core.crypto import DecryptionError, SoftwareProvider, parse_key_ring

K1 = "1:" + "11" * 32
K2 = "2:" + "22" * 32


def provider(ring: str) -> SoftwareProvider:
    return SoftwareProvider(parse_key_ring(ring))


def test_round_trip_and_no_clear_text_in_ciphertext():
    p = provider(K1)
    token = p.encrypt("320706199001011230")
    assert "320706199001011230" not in token
    assert b"320706199001011230" not in base64.b64decode(token)
    assert p.decrypt(token) == "320706199001011230"


def test_same_plaintext_encrypts_differently_but_digests_equal():
    p = provider(K1)
    assert p.encrypt("x") != p.encrypt("x")
    assert p.digest("x") == p.digest("x")
    assert p.digest("x") != p.digest("y")


def test_rotation_keeps_old_rows_readable_and_digest_stable():
    old = provider(K1)
    token = old.encrypt("13812345678")
    rotated = provider(f"{K1},{K2}")
    assert rotated.decrypt(token) == "13812345678"
    new_token = rotated.encrypt("13812345678")
    assert rotated.key_version(new_token) == 2
    assert rotated.digest("a") == old.digest("a")
    with pytest.raises(DecryptionError):
        old.decrypt(new_token)


def test_changed_ciphertext_byte_fails_to_decrypt():
    p = provider(K1)
    raw = bytearray(base64.b64decode(p.encrypt("320706199001011230")))
    raw[15] ^= 0x01
    with pytest.raises(DecryptionError):
        p.decrypt(base64.b64encode(bytes(raw)).decode())


@pytest.mark.parametrize("ring", ["", "nokey", "1:abcd", "0:" + "11" * 32, "x:" + "11" * 32])
def test_bad_key_rings_refused(ring):
    with pytest.raises(ImproperlyConfigured):
        parse_key_ring(ring)
