"""Import KINDs: what each kind of file means. Apps register theirs in their ``importers.py``.

A KIND names its columns (canonical header, aliases), converts one row of raw cells into a staging
tuple (collecting every error), and merges a job's staged rows into the real tables with a few
set-based statements. Reading files, finding the header, batching, progress, error reports and
the job record are the pipeline's (``pipeline.py``), the same for every KIND.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from gongjiang.core.validators import clean_text


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    text_format: bool = False  # format as text in the template (IDs, codes, numbers)
    choices: Callable[[], Sequence[str]] | None = None  # drop-down in the template
    width: int = 14


def normalise_header(value: object) -> str:
    text = clean_text(value)
    text = re.sub(r"[\s*＊:：]+", "", text)
    return text.lower()


class RowErrors:
    """Errors of one row: (column header, raw value, reason)."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[str, object, str]] = []

    def add(self, header: str, value: object, reason: str) -> None:
        self.items.append((header, value, reason))

    def __bool__(self) -> bool:
        return bool(self.items)

    def take(self, values: dict[str, object], key: str, convert: Callable, *args, **kwargs):
        """``convert(values[key], ...)``; a ValidationError is recorded for that column and gives None."""
        raw = values.get(key)
        try:
            return convert(raw, *args, **kwargs)
        except ValidationError as exc:
            self.add(key, raw, "；".join(exc.messages))
            return None


@dataclass
class MergeOutcome:
    counts: dict[str, int]
    conflicts: list[dict[str, Any]] = field(default_factory=list)


class ImportKind:
    name: str = ""
    label: str = ""
    order: int = 100  # position in the import page's list
    columns: Sequence[Column] = ()
    staging_table: str = ""
    staging_columns: Sequence[str] = ()
    permission: str = ""
    instructions: Sequence[str] = ()
    result_keys: Sequence[str] = ()
    result_labels: dict[str, str] = {}  # labels of this KIND's result keys, beside the shared ones

    def header_map(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                mapping[normalise_header(name)] = column.key
        return mapping

    def start(self, *, actor, job_id: int) -> Any:
        """Load lookups (reference data, the actor's scope) for one run. Returns a context."""
        raise NotImplementedError

    def convert(self, ctx: Any, number: int, values: dict[str, object], errors: RowErrors) -> tuple | None:
        """Row ``number``'s raw cells by column key → a staging tuple, or None with ``errors`` filled."""
        raise NotImplementedError

    def check_batch(self, ctx: Any, rows: list[tuple[int, tuple]]) -> dict[int, str]:
        """Checks that need the database, for a batch of converted rows: {row number: reason}."""
        return {}

    def checks_batches(self, ctx: Any) -> bool:
        """Whether ``check_batch`` may refuse rows in this run (a KIND that has one says when not:
        then its converted rows go straight to staging)."""
        return type(self).check_batch is not ImportKind.check_batch

    @staticmethod
    def refuse_existing_out_of_scope(
        *, model, field: str, keys: dict[int, str], actor, reason: str
    ) -> dict[int, str]:
        """Rows whose natural key (``field``) names a record that exists but is outside the actor's
        scope for "change": an import may not take it over. {row number: reason}."""
        from gongjiang.accounts.scope import scope

        if changes_every_row(model, actor):
            return {}
        values = set(keys.values())
        existing = set(
            model._default_manager.filter(**{f"{field}__in": values}).values_list(field, flat=True)
        )
        if not existing:
            return {}
        allowed = set(
            scope(model._default_manager.filter(**{f"{field}__in": existing}), actor, "change").values_list(
                field, flat=True
            )
        )
        return {number: reason for number, key in keys.items() if key in existing and key not in allowed}

    def merge(self, ctx: Any, *, job_id: int) -> MergeOutcome:
        """Merge the job's staged rows into the real tables (inside the caller's transaction)."""
        raise NotImplementedError


def changes_every_row(model, actor) -> bool:
    """Whether ``actor`` may change every row of ``model`` (the city): nothing to refuse by scope."""
    from gongjiang.accounts.scope import perm_name, scope_q

    return actor.has_perm(perm_name(model, "change")) and scope_q(model, actor) == Q()


REGISTRY: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    REGISTRY[kind.name] = kind
    return kind


def kinds_for(user) -> list[ImportKind]:
    """The KINDs ``user`` may import, in display order."""
    return sorted(
        (k for k in REGISTRY.values() if user.has_perm(k.permission)), key=lambda k: (k.order, k.name)
    )


def get_kind(name: str) -> ImportKind:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"未知的导入种类“{name}”，可用：{'、'.join(sorted(REGISTRY))}") from None
