"""Job files on disk, always SM4-encrypted: uploads, error reports, exports.

The directory is ``var/jobs/`` (``GONGJIANG_JOB_DIR``). Clear working copies (a job's decrypted
upload, an error report or export being written) never go there: they live in a private directory
of the process (``var/work/p<pid>@<host>-…``, mode 0700), removed when the copy is done with, by the
worker when a job's process dies (``remove_work_dirs``), at the worker's start and by the nightly
maintenance (``remove_leftovers``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import tempfile
import time
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


def work_root() -> Path:
    path = Path(settings.GONGJIANG_WORK_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def private_dir() -> Iterator[Path]:
    """A directory only this process's user can enter, named after the process (so that the
    worker can remove what a dead job process left), removed with everything in it on exit."""
    path = Path(tempfile.mkdtemp(prefix=_prefix(os.getpid()), dir=work_root()))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def decrypted_copy(name: str, *, suffix: str = "") -> Iterator[Path]:
    """A clear temporary copy of a stored file, in a private directory removed on exit."""
    with private_dir() as work:
        path = work / f"clear{suffix}"
        with path.open("wb") as dst, (job_dir() / name).open("rb") as src:
            get_provider().decrypt_stream(src, dst)
        yield path


def iter_decrypted(name: str, *, chunk: int = 1 << 16) -> Iterator[bytes]:
    """Stream a stored file's clear bytes (for downloads), through a temporary file."""
    with decrypted_copy(name) as path, path.open("rb") as fh:
        while block := fh.read(chunk):
            yield block


def remove(name: str) -> None:
    if name:
        (job_dir() / name).unlink(missing_ok=True)


def new_temp_path(suffix: str) -> Path:
    """A clear file being written (an error report, an export before encryption): in the process's
    private work directory, which the caller removes with ``unlink`` (and the worker or the
    nightly maintenance if the process dies first)."""
    work = work_root()
    mine = sorted(work.glob(f"{_prefix(os.getpid())}keep*"))
    folder = mine[0] if mine else Path(tempfile.mkdtemp(prefix=f"{_prefix(os.getpid())}keep", dir=work))
    fd, tmp = tempfile.mkstemp(suffix=suffix, dir=folder)
    os.close(fd)
    return Path(tmp)


# A work directory is named after its process and host (``p<pid>@<host>-…``): the data directory
# may be shared by web and worker machines, and a process id means something only on its own host.
_HOST = socket.gethostname().replace("/", "_")
OTHER_HOST_GRACE = 24 * 3600  # another host's directories are removed only when this old


def _prefix(pid: int) -> str:
    return f"p{pid}@{_HOST}-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_work_dirs(pid: int) -> int:
    """Remove the working directories of process ``pid`` (which has ended); returns how many."""
    removed = 0
    for path in work_root().glob(f"{_prefix(pid)}*"):
        shutil.rmtree(path, ignore_errors=True)
        removed += 1
    return removed


def remove_leftovers() -> dict[str, int]:
    """Remove clear working files a dead process left: the private directories of processes no
    longer running, and clear temporary files an older version left in the job directory."""
    dirs = files = 0
    now = time.time()
    for path in work_root().iterdir():
        owner, _sep, _rest = path.name.rpartition("-")
        pid, _at, host = owner[1:].partition("@")
        if path.name.startswith("p") and pid.isdigit():
            if host == _HOST and _pid_alive(int(pid)):
                continue
            if host != _HOST and now - path.stat().st_mtime < OTHER_HOST_GRACE:
                continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        dirs += 1
    for path in job_dir().glob("tmp*"):
        if not path.name.endswith(".enc"):
            path.unlink(missing_ok=True)
            files += 1
    return {"work_dirs": dirs, "clear_files": files}
