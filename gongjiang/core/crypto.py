"""The crypto provider for personal data: SM4-GCM at rest, keyed SM3 (HMAC-SM3) for lookup.

Everything else calls ``get_provider()`` and the three methods of ``CryptoProvider``, so a certified
crypto module (a hardware or SDF-interface device) can replace ``SoftwareProvider`` without touching
the callers.

Key ring (``GONGJIANG_DATA_KEY``): ``"VERSION:HEX[,VERSION:HEX…]"``, each key 32 bytes of hex. The
highest version encrypts; every listed version decrypts, so keys rotate by adding a version and
re-encrypting at leisure. Each ciphertext starts with its key version. The lookup digest uses the
lowest version: a digest must not change when the encryption key rotates (it backs a unique
constraint), so that key stays in the ring until ``rekey`` is run.
"""

from __future__ import annotations

import base64
import functools
import os
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16
FILE_MAGIC = b"GJF1"


class DecryptionError(Exception):
    """A ciphertext could not be decrypted: unknown key version, corrupted or tampered bytes."""


class CryptoProvider(Protocol):
    def encrypt(self, plaintext: str) -> str: ...

    def decrypt(self, token: str) -> str: ...

    def digest(self, value: str) -> str: ...

    def mac(self, data: bytes, *, purpose: str) -> str: ...

    def mac_versioned(
        self, data: bytes, *, purpose: str, version: int | None = None
    ) -> tuple[int, str] | None: ...


def _derive(master: bytes, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=b"gongjiang", info=purpose).derive(master)


def parse_key_ring(raw: str) -> dict[int, bytes]:
    ring: dict[int, bytes] = {}
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        version_text, sep, hex_key = item.partition(":")
        if not sep:
            raise ImproperlyConfigured("GONGJIANG_DATA_KEY: each key must be written VERSION:HEX")
        try:
            version = int(version_text)
            key = bytes.fromhex(hex_key)
        except ValueError as exc:
            raise ImproperlyConfigured("GONGJIANG_DATA_KEY: bad version or hex key") from exc
        if not 0 < version < 256 or len(key) != 32:
            raise ImproperlyConfigured("GONGJIANG_DATA_KEY: versions are 1–255, keys 32 bytes (64 hex)")
        ring[version] = key
    if not ring:
        raise ImproperlyConfigured("GONGJIANG_DATA_KEY is empty")
    return ring


class SoftwareProvider:
    """SM4-GCM and HMAC-SM3 from the ``cryptography`` package (OpenSSL)."""

    def __init__(self, ring: dict[int, bytes]):
        self._enc_keys = {v: _derive(k, b"sm4-gcm", 16) for v, k in ring.items()}
        self._current = max(ring)
        self._cipher = algorithms.SM4(self._enc_keys[self._current])
        self._aad = bytes([self._current])
        self._lookup_master = ring[min(ring)]
        # The lookup HMAC keyed once; each digest continues a copy (an import computes millions).
        self._lookup_hmac = hmac.HMAC(_derive(self._lookup_master, b"hmac-sm3-lookup", 32), hashes.SM3())
        self._purpose_keys: dict[str, bytes] = {}
        self._masters = dict(ring)

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        enc = Cipher(self._cipher, modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(self._aad)
        body = enc.update(plaintext.encode()) + enc.finalize()
        raw = self._aad + nonce + body + enc.tag
        return base64.b64encode(raw).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            raw = base64.b64decode(token, validate=True)
        except ValueError as exc:
            raise DecryptionError("密文格式错误") from exc
        if len(raw) < 1 + NONCE_BYTES + TAG_BYTES:
            raise DecryptionError("密文长度错误")
        version, nonce, body, tag = raw[0], raw[1:13], raw[13:-TAG_BYTES], raw[-TAG_BYTES:]
        key = self._enc_keys.get(version)
        if key is None:
            raise DecryptionError(f"密钥版本 {version} 不可用")
        dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(bytes([version]))
        try:
            return (dec.update(body) + dec.finalize()).decode()
        except InvalidTag as exc:
            raise DecryptionError("密文校验失败（可能被篡改）") from exc

    def digest(self, value: str) -> str:
        mac = self._lookup_hmac.copy()
        mac.update(value.encode())
        return mac.finalize().hex()

    def mac(self, data: bytes, *, purpose: str) -> str:
        """HMAC-SM3 under a key of its own for ``purpose`` (the audit chain, payment rows)."""
        key = self._purpose_keys.get(purpose)
        if key is None:
            key = self._purpose_keys.setdefault(purpose, _derive(self._lookup_master, purpose.encode(), 32))
        h = hmac.HMAC(key, hashes.SM3())
        h.update(data)
        return h.finalize().hex()

    def mac_versioned(
        self, data: bytes, *, purpose: str, version: int | None = None
    ) -> tuple[int, str] | None:
        """HMAC-SM3 under ``purpose``'s key of ring version ``version`` (default: the newest), for
        tokens handed out that must outlive a key rotation (certificate verification links): the
        token names its version and verifies for as long as that version stays in the ring.
        None when ``version`` is not in the ring."""
        version = self._current if version is None else version
        master = self._masters.get(version)
        if master is None:
            return None
        h = hmac.HMAC(_derive(master, purpose.encode(), 32), hashes.SM3())
        h.update(data)
        return version, h.finalize().hex()

    def encrypt_stream(self, src: BinaryIO, dst: BinaryIO, *, chunk: int = 1 << 20) -> None:
        """Encrypt a file-like stream (uploads, reports) with SM4-GCM: header, nonce, body, tag."""
        nonce = os.urandom(NONCE_BYTES)
        version = self._current
        enc = Cipher(algorithms.SM4(self._enc_keys[version]), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(FILE_MAGIC + bytes([version]))
        dst.write(FILE_MAGIC + bytes([version]) + nonce)
        while block := src.read(chunk):
            dst.write(enc.update(block))
        dst.write(enc.finalize())
        dst.write(enc.tag)

    def decrypt_stream(self, src: BinaryIO, dst: BinaryIO, *, chunk: int = 1 << 20) -> None:
        """Decrypt what ``encrypt_stream`` wrote; a changed byte raises DecryptionError at the end
        (the caller must discard what was written to ``dst`` then)."""
        header = src.read(len(FILE_MAGIC) + 1 + NONCE_BYTES)
        if len(header) < len(FILE_MAGIC) + 1 + NONCE_BYTES or not header.startswith(FILE_MAGIC):
            raise DecryptionError("加密文件格式错误")
        version = header[len(FILE_MAGIC)]
        nonce = header[len(FILE_MAGIC) + 1 :]
        key = self._enc_keys.get(version)
        if key is None:
            raise DecryptionError(f"密钥版本 {version} 不可用")
        src.seek(-TAG_BYTES, os.SEEK_END)
        end = src.tell()
        tag = src.read(TAG_BYTES)
        src.seek(len(header))
        dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(FILE_MAGIC + bytes([version]))
        remaining = end - len(header)
        while remaining > 0:
            block = src.read(min(chunk, remaining))
            if not block:
                break
            remaining -= len(block)
            dst.write(dec.update(block))
        try:
            dst.write(dec.finalize())
        except InvalidTag as exc:
            raise DecryptionError("文件校验失败（可能被篡改）") from exc

    def key_version(self, token: str) -> int:
        return base64.b64decode(token)[0]


@functools.lru_cache(maxsize=4)
def _provider_for(raw_ring: str) -> SoftwareProvider:
    return SoftwareProvider(parse_key_ring(raw_ring))


def get_provider() -> SoftwareProvider:
    """The provider for the configured key ring (built once per ring, not per call)."""
    raw = getattr(settings, "GONGJIANG_DATA_KEY", "")
    if not raw:
        raise ImproperlyConfigured("GONGJIANG_DATA_KEY is not configured: personal data cannot be written")
    return _provider_for(raw)


def encrypt(plaintext: str) -> str:
    return get_provider().encrypt(plaintext)


def decrypt(token: str) -> str:
    return get_provider().decrypt(token)


def digest(value: str) -> str:
    return get_provider().digest(value)
