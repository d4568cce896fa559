"""Job files on disk, always SM4-encrypted: uploads, error reports, exports.

The directory is ``var/jobs/`` (``GONGJIANG_JOB_DIR``). A job reads its upload through
``decrypted_copy``, a temporary clear file that is deleted when the job is done with it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from gongjiang.core.crypto import get_provider


def job_dir() -> Path:
    path = Path(getattr(settings, "GONGJIANG_JOB_DIR", settings.VAR_DIR / "jobs"))
    path.mkdir(parents=True, exist_ok=True)
    return path


class _HashingReader:
    def __init__(self, src: BinaryIO):
        self.src = src
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        block = self.src.read(n)
        self.sha256.update(block)
        self.size += len(block)
        return block


def store_encrypted(src: BinaryIO, *, suffix: str = "") -> tuple[str, str, int]:
    """Encrypt ``src`` into the job directory. Returns (stored name, SHA-256 of the clear bytes, size)."""
    name = f"{uuid.uuid4().hex}{suffix}.enc"
    target = job_dir() / name
    reader = _HashingReader(src)
    try:
        with target.open("wb") as dst:
            get_provider().encrypt_stream(reader, dst)
            dst.flush()
            os.fsync(dst.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return name, reader.sha256.hexdigest(), reader.size


def store_encrypted_path(path: Path, *, suffix: str = "") -> tuple[str, str, int]:
    with path.open("rb") as src:
        return store_encrypted(src, suffix=suffix)


@contextlib.contextmanager
def decrypted_copy(name: str, *, suffix: str = "") -> Iterator[Path]:
    """A clear temporary copy of a stored file, removed on exit."""
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=job_dir())
    path = Path(tmp)
    try:
        with open(fd, "wb") as dst, (job_dir() / name).open("rb") as src:
            get_provider().decrypt_stream(src, dst)
        yield path
    finally:
        path.unlink(missing_ok=True)


def iter_decrypted(name: str, *, chunk: int = 1 << 16) -> Iterator[bytes]:
    """Stream a stored file's clear bytes (for downloads), through a temporary file."""
    with decrypted_copy(name) as path, path.open("rb") as fh:
        while block := fh.read(chunk):
            yield block


def remove(name: str) -> None:
    if name:
        (job_dir() / name).unlink(missing_ok=True)


def new_temp_path(suffix: str) -> Path:
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=job_dir())
    os.close(fd)
    return Path(tmp)
