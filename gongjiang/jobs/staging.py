"""Bulk writes into staging tables: PostgreSQL ``COPY``, SQLite ``executemany``."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence

from django.conf import settings
from django.db import connection


def encode_rows(rows: Sequence[tuple]) -> bytes | list[tuple]:
    """Rows made ready for ``write_rows``: on PostgreSQL the COPY text psycopg makes of them, so
    that a forked converter process can do that work and hand over one string; elsewhere the
    rows themselves. A ``Copy`` with a ``FileWriter`` formats without talking to the server (the
    converter only borrows the inherited connection's adapters)."""
    if connection.vendor != "postgresql":
        return list(rows)
    from psycopg import Copy
    from psycopg.copy import FileWriter

    connection.ensure_connection()
    buffer = io.BytesIO()
    with Copy(connection.connection.cursor(), writer=FileWriter(buffer)) as copy:
        for row in rows:
            copy.write_row(row)
    return buffer.getvalue()


def write_rows(table: str, columns: Sequence[str], encoded: bytes | list[tuple]) -> None:
    """Append rows that ``encode_rows`` prepared to ``table`` (one round trip per batch)."""
    if not encoded:
        return
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor underneath Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                copy.write(encoded)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", encoded)


def clear(table: str, job_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE job_id = %s", [job_id])


def clear_finished(table: str) -> int:
    """Remove the rows of jobs that are no longer queued or running (a worker killed before its
    ``finally`` left them), so that a staging table holds only the rows of live jobs. Returns the
    number of rows removed."""
    from .choices import JobStatus
    from .models import Job

    live = [JobStatus.QUEUED, JobStatus.RUNNING]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE job_id NOT IN (SELECT id FROM {Job._meta.db_table} WHERE status IN (%s, %s))",
            live,
        )
        return cursor.rowcount


def analyse(table: str) -> None:
    """Fresh planner statistics after a bulk load, so the merge joins are planned for its size."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def drop_temp(cursor, name: str) -> None:
    """Drop the temporary table ``name`` if this session has one (never a permanent table)."""
    schema = "pg_temp" if connection.vendor == "postgresql" else "temp"
    cursor.execute(f"DROP TABLE IF EXISTS {schema}.{name}")


def temp_table(cursor, name: str, select: str, params: Sequence, *, indexes: Sequence[str] = ()) -> int:
    """Materialise ``select`` as the temporary table ``name`` (replacing one left by an earlier
    job of this session), index it (each of ``indexes`` is a column list, optionally followed by
    `` WHERE`` and the condition of a partial index) and analyse it; returns its row count.

    The merge joins such tables, never derived tables: a temporary table has exact statistics and
    an index on each key it is joined by, so whatever join the planner picks (hash, merge, or a
    nested loop probing the index) costs at most n log n. A derived table on the inner side of a
    nested loop is rescanned for every outer row once the planner believes it holds one row, and
    the analysed table is the fix for that belief (docs/decisions/018)."""
    drop_temp(cursor, name)
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {select}", params)
    for number, index in enumerate(indexes):
        columns, _, where = index.partition(" WHERE ")
        cursor.execute(
            f"CREATE INDEX {name}_{number} ON {name} ({columns})" + (f" WHERE {where}" if where else "")
        )
    cursor.execute(f"ANALYZE {name}" if connection.vendor == "postgresql" else f"ANALYZE temp.{name}")
    cursor.execute(f"SELECT COUNT(*) FROM {name}")
    return cursor.fetchone()[0]


@contextlib.contextmanager
def indexes_rebuilt(tables: Sequence[str], *, incoming: int):
    """Inside the merge's transaction: when ``incoming`` rows are at least as many as ``tables``
    hold (a first load), drop their secondary indexes, unique constraints and foreign keys,
    let the caller insert, then build them again. One sorted index build is several times faster
    than a million index insertions, and one join that validates a foreign key is faster than a
    million deferred per-row checks. The caller's statements must not rely on them for
    correctness (the roster merge inserts only rows it has checked are new); a violation found
    when they are built again fails the transaction. Primary keys, and unique constraints that a
    foreign key references, stay. The tables are locked against readers until the transaction
    ends; a failure rolls the indexes and keys back with the rows. PostgreSQL only; elsewhere this
    does nothing."""
    if connection.vendor != "postgresql" or incoming < settings.GONGJIANG_IMPORT_BULK_MIN_ROWS:
        yield
        return
    with connection.cursor() as cursor:
        # Counted, not read from pg_class: a table never analysed has no row estimate, and taking
        # it for empty would rebuild the indexes of a million persons for a file of 50,000. The
        # count stops after ``incoming`` rows of each table, so it costs what the file costs.
        held = 0
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT %s) t", [incoming + 1])
            held += cursor.fetchone()[0]
        if incoming < held:
            yield
            return
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            [list(tables)],
        )
        indexes = cursor.fetchall()
        # No foreign key references the unique constraints taken here, so the order is free.
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relname = ANY(%s) AND (c.contype = 'f' OR c.contype = 'u' AND NOT EXISTS (
                SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid))
            """,
            [list(tables)],
        )
        constraints = cursor.fetchall()
        # Rows written earlier in this transaction may still have deferred checks pending, and
        # PostgreSQL alters no table with trigger events pending: run them first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
