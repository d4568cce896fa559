"""Backup and restore, the same on SQLite and PostgreSQL (docs/decisions/033).

A backup is a directory:
- ``data/<app_label>.<model>.jsonl``: every row of every model, streamed per model in dependency
  order with Django's JSON-lines serializer (personal data stays the ciphertext it is in the
  database: a backup holds no clear ID or phone number);
- ``files/``: the encrypted job files and attachments (``GONGJIANG_JOB_DIR``), as stored;
- ``audit-checkpoints.jsonl``: the signed checkpoints of the audit chain (they are no key);
- ``manifest.json``: per model the row count and the SHA-256 of its file, per stored file its
  SHA-256, the audit chain's head. Never the keys: they stay in the key management (operations.md).

A restore goes into a database just created empty (no tables): ``migrate`` makes the schema, the
rows the migrations seeded (reference data, content types, permissions) are replaced by the
backup's, every model's rows are loaded with their own ids in one transaction, the sequences are
reset, and the counts and checksums are checked against the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

FORMAT = 1
BATCH = 2000
SKIPPED = {"sessions.session"}  # sessions are not worth keeping: everyone logs in again


class ExactEncoder(DjangoJSONEncoder):
    """Moments to the microsecond (Django's encoder keeps milliseconds): an audit row's MAC covers
    its time exactly, so a restored chain verifies."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese, for the operator."""


def backup_models() -> list[type[models.Model]]:
    """Every concrete model with a table of its own, parents before the models referring to them."""
    app_list = dict.fromkeys(apps.get_app_configs())
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.managed
        and not m._meta.proxy
        and not m._meta.swapped
        and m._meta.label_lower not in SKIPPED
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def backup_create(out_dir: Path) -> dict:
    """Write a backup into ``out_dir`` (new or empty); returns the manifest."""
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise BackupError("备份目录 %s 不是空的，请指定一个新目录" % out_dir)
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    (out_dir / "files").mkdir(exist_ok=True)
    manifest: dict = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "vendor": connection.vendor,
        "models": {},
        "files": {},
    }
    # One snapshot of the database for every model (REPEATABLE READ on PostgreSQL; on SQLite a
    # read transaction sees one state of the file too).
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for model in backup_models():
            label = model._meta.label_lower
            path = out_dir / "data" / f"{label}.jsonl"
            count = 0
            with path.open("w", encoding="utf-8") as fh:
                for chunk in _chunks(model):
                    serializers.serialize("jsonl", chunk, stream=fh, cls=ExactEncoder)
                    count += len(chunk)
            _fsync(path)
            manifest["models"][label] = {"count": count, "sha256": _sha256(path)}
        manifest["audit"] = _audit_head()
    job_dir = Path(settings.GONGJIANG_JOB_DIR)
    if job_dir.exists():
        for source in sorted(job_dir.glob("*.enc")):
            target = out_dir / "files" / source.name
            shutil.copy2(source, target)
            manifest["files"][source.name] = _sha256(target)
    checkpoints = Path(settings.GONGJIANG_AUDIT_CHECKPOINT_FILE)
    if checkpoints.exists():
        shutil.copy2(checkpoints, out_dir / "audit-checkpoints.jsonl")
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    _fsync(out_dir / "manifest.json")
    return manifest


def _chunks(model: type[models.Model]) -> Iterator[list]:
    """The model's rows in id order, a batch at a time (keyset pagination: constant memory)."""
    queryset = model._default_manager.order_by("pk")
    last = None
    while True:
        page = queryset.filter(pk__gt=last) if last is not None else queryset
        chunk = list(page[:BATCH])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _audit_head() -> dict:
    audit = apps.get_model("accounts", "AuditEntry")
    last = audit._default_manager.order_by("-id").values("id", "mac").first() or {"id": 0, "mac": ""}
    return {"count": audit._default_manager.count(), "last_id": last["id"], "last_mac": last["mac"]}


def backup_check(in_dir: Path) -> dict:
    """The manifest of a backup whose files are all there with the checksums it lists."""
    in_dir = Path(in_dir)
    try:
        manifest = json.loads((in_dir / "manifest.json").read_text())
    except (FileNotFoundError, ValueError):
        raise BackupError("%s 不是备份目录（没有可读的 manifest.json）" % in_dir) from None
    if manifest.get("format") != FORMAT:
        raise BackupError("备份格式版本 %s 不受支持" % manifest.get("format"))
    for label, entry in manifest["models"].items():
        path = in_dir / "data" / f"{label}.jsonl"
        if not path.exists() or _sha256(path) != entry["sha256"]:
            raise BackupError("备份文件 %s 缺失或校验和不符" % path.name)
    for name, sha in manifest["files"].items():
        path = in_dir / "files" / name
        if not path.exists() or _sha256(path) != sha:
            raise BackupError("备份中的加密文件 %s 缺失或校验和不符" % name)
    return manifest


def restore(in_dir: Path) -> dict:
    """Restore a backup into the (empty) database of this process's settings; returns the counts
    restored per model."""
    in_dir = Path(in_dir)
    manifest = backup_check(in_dir)
    if connection.introspection.table_names():
        raise BackupError("目标数据库不是空的：请新建一个空数据库（没有任何表）再恢复")
    call_command("migrate", interactive=False, verbosity=0)
    known = {m._meta.label_lower: m for m in backup_models()}
    unknown = set(manifest["models"]) - set(known)
    if unknown:
        raise BackupError("备份中有本版本没有的数据表：%s" % "、".join(sorted(unknown)))
    order = [known[label] for label in known if label in manifest["models"]]
    counts: dict[str, int] = {}
    with connection.constraint_checks_disabled(), transaction.atomic():
        with connection.cursor() as cursor:
            for model in reversed(order):  # the rows migrations seeded give way to the backup's
                for field in model._meta.local_many_to_many:
                    if field.remote_field.through._meta.auto_created:
                        cursor.execute("DELETE FROM %s" % connection.ops.quote_name(field.m2m_db_table()))
                cursor.execute("DELETE FROM %s" % connection.ops.quote_name(model._meta.db_table))
        for model in order:
            counts[model._meta.label_lower] = _load(
                model, in_dir / "data" / f"{model._meta.label_lower}.jsonl"
            )
        connection.check_constraints(table_names=[m._meta.db_table for m in order])
        sequences = connection.ops.sequence_reset_sql(no_style(), order)
        if sequences:
            with connection.cursor() as cursor:
                for sql in sequences:
                    cursor.execute(sql)
        for label, entry in manifest["models"].items():
            if counts.get(label) != entry["count"]:
                raise BackupError(
                    "恢复后 %s 有 %s 行，备份清单为 %d 行" % (label, counts.get(label), entry["count"])
                )
    job_dir = Path(settings.GONGJIANG_JOB_DIR)
    job_dir.mkdir(parents=True, exist_ok=True)
    for name, sha in manifest["files"].items():
        target = job_dir / name
        if target.exists():
            if _sha256(target) != sha:
                raise BackupError("文件目录中已有同名但内容不同的文件 %s，未覆盖" % name)
            continue
        shutil.copy2(in_dir / "files" / name, target)
    checkpoints = Path(settings.GONGJIANG_AUDIT_CHECKPOINT_FILE)
    if (in_dir / "audit-checkpoints.jsonl").exists() and not checkpoints.exists():
        checkpoints.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(in_dir / "audit-checkpoints.jsonl", checkpoints)
    return counts


def _load(model: type[models.Model], path: Path) -> int:
    """Insert a model's rows as they were (their own ids; no save() hooks: audit rows refuse a
    save with an id), with their many-to-many links."""
    count = 0
    batch: list = []
    links: list = []

    def flush():
        model._default_manager.bulk_create([d.object for d in batch], batch_size=500)
        for deserialized in batch:
            for name, ids in (deserialized.m2m_data or {}).items():
                field = model._meta.get_field(name)
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                links.extend(
                    through(**{f"{source}_id": deserialized.object.pk, f"{target}_id": i}) for i in ids
                )
        for through in {type(link) for link in links}:
            through._default_manager.bulk_create([x for x in links if type(x) is through], batch_size=1000)
        batch.clear()
        links.clear()

    with path.open(encoding="utf-8") as fh:
        for deserialized in serializers.deserialize("jsonl", fh, handle_forward_references=False):
            batch.append(deserialized)
            count += 1
            if len(batch) >= BATCH:
                flush()
    if batch:
        flush()
    return count
