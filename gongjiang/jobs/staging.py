"""Bulk writes into staging tables: PostgreSQL ``COPY``, SQLite ``executemany``."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Append ``rows`` to ``table`` as fast as the database allows (one round trip per batch)."""
    if not rows:
        return
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor underneath Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def clear(table: str, job_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE job_id = %s", [job_id])


def analyse(table: str) -> None:
    """Fresh planner statistics after a bulk load, so the merge joins are planned for its size."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
