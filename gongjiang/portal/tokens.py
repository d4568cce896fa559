"""Signed verification links of certificates (``/verify/c/<token>``), printed as QR codes.

A token is ``<certificate id>-<key version>-<HMAC-SM3>``: the MAC is keyed by the named version of
the key ring (``core.crypto``), so a link printed before a key rotation keeps working while that
version stays in the ring, and any change to the id, the version or the MAC fails.
"""

from __future__ import annotations

import hmac
import re

from gongjiang.core.crypto import get_provider

PURPOSE = "certificate-verify-link"
MAC_CHARS = 32  # 128 bits of the SM3 MAC: a short URL and a small QR code
_TOKEN = re.compile(r"^([1-9][0-9]{0,18})-([1-9][0-9]{0,2})-([0-9a-f]{%d})$" % MAC_CHARS)


def _mac(certificate_id: int, version: int | None) -> tuple[int, str] | None:
    signed = get_provider().mac_versioned(
        b"certificate:%d" % certificate_id, purpose=PURPOSE, version=version
    )
    return None if signed is None else (signed[0], signed[1][:MAC_CHARS])


def certificate_token(certificate_id: int) -> str:
    """The token of a certificate's verification link, under the newest key version."""
    version, mac = _mac(certificate_id, None)
    return "%d-%d-%s" % (certificate_id, version, mac)


def certificate_id_from_token(token: str) -> int | None:
    """The certificate id a token was signed for, or None when it is malformed, tampered with or
    signed with a key version no longer in the ring."""
    match = _TOKEN.match(token or "")
    if not match:
        return None
    certificate_id, version = int(match.group(1)), int(match.group(2))
    expected = _mac(certificate_id, version)
    if expected is None or not hmac.compare_digest(expected[1], match.group(3)):
        return None
    return certificate_id
