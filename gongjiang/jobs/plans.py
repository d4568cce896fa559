"""What each SQL statement of an import did, counted in rows and instructions rather than seconds.

The roster merge must cost what the file costs, whatever plan the database picks (docs/decisions/
013). Wall-clock time is noise on a shared machine; the work a statement's plan did is not. So the
test that guards the merge, and ``bench import --explain``, run the import inside ``measured()``:

- PostgreSQL: each statement is first run under ``EXPLAIN (ANALYZE, BUFFERS)`` inside a savepoint
  that is rolled back, then for real. Its work is the number of rows every plan node produced or
  threw away (``Rows Removed by Filter``: an index scan that reads the whole job to keep one row is
  the quadratic case), times the node's loops.
- SQLite: the virtual machine's instructions, counted by a progress handler every 100 steps.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass

from django.db import connection

MEASURED = ("INSERT", "UPDATE", "SELECT", "DELETE", "CREATE", "WITH")
EXPLAINED = ("INSERT", "UPDATE", "SELECT", "DELETE", "WITH", "CREATE TEMPORARY TABLE")  # what EXPLAIN takes
REMOVED = ("Rows Removed by Filter", "Rows Removed by Join Filter", "Rows Removed by Index Recheck")


@dataclass
class Statement:
    sql: str
    work: int  # PostgreSQL: rows handled by the plan's nodes; SQLite: VM instructions / 100
    plan: str  # PostgreSQL: the EXPLAIN (ANALYZE, BUFFERS) text; SQLite: EXPLAIN QUERY PLAN

    @property
    def key(self) -> str:
        """The statement without its numbers and with one mark for a list of parameters: the same
        statement of two jobs, or of two chunks of ids, has the same key."""
        return re.sub(r"(%s, )+%s", "%s…", re.sub(r"\d+", "#", " ".join(self.sql.split())))


def plan_work(node: dict) -> int:
    """Rows produced and discarded by a JSON plan node and its children, each times its loops."""
    loops = node.get("Actual Loops", 1) or 0
    own = node.get("Actual Rows", 0) + sum(node.get(key, 0) for key in REMOVED)
    return int(own * loops) + sum(plan_work(child) for child in node.get("Plans", ()))


def _text_plan(node: dict, depth: int = 0) -> list[str]:
    loops = node.get("Actual Loops", 1)
    detail = [node["Node Type"]]
    for key in ("Join Type", "Relation Name", "Index Name", "Strategy"):
        if key in node:
            detail.append(f"{key.split()[0].lower()}={node[key]}")
    removed = sum(node.get(key, 0) for key in REMOVED)
    line = (
        "  " * depth
        + " ".join(detail)
        + f" (est {node.get('Plan Rows')} rows, actual {node.get('Actual Rows')}"
    )
    line += f" × {loops} loops" + (f", removed {removed}" if removed else "")
    line += f", {node.get('Actual Total Time', 0) * loops:.1f} ms)"
    return [line] + [text for child in node.get("Plans", ()) for text in _text_plan(child, depth + 1)]


@contextlib.contextmanager
def measured():
    """Record every statement run on the default connection inside the block (a list of
    ``Statement``). On PostgreSQL only statements inside a transaction are explained (the probe
    needs a savepoint); the merge always is."""
    statements: list[Statement] = []
    vendor = connection.vendor

    def wrapper(execute, sql, params, many, context):
        if many or not sql.lstrip().upper().startswith(MEASURED):
            return execute(sql, params, many, context)
        if vendor == "postgresql":
            # An index build (n log n) has no plan to show; the statements around it do.
            if connection.get_autocommit() or not sql.lstrip().upper().startswith(EXPLAINED):
                return execute(sql, params, many, context)
            raw = connection.connection.cursor()
            raw.execute("SAVEPOINT measured_probe")
            try:
                raw.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
                plan = raw.fetchone()[0][0]["Plan"]
            finally:
                raw.execute("ROLLBACK TO SAVEPOINT measured_probe")
                raw.execute("RELEASE SAVEPOINT measured_probe")
            statements.append(Statement(sql, plan_work(plan), "\n".join(_text_plan(plan))))
            return execute(sql, params, many, context)
        sqlite = connection.connection
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        query_plan = ""
        if not sql.lstrip().upper().startswith("CREATE"):
            plan_cursor = sqlite.cursor()
            plan_cursor.execute("EXPLAIN QUERY PLAN " + sql.replace("%s", "?"), params or ())
            query_plan = "\n".join(str(row[-1]) for row in plan_cursor.fetchall())
        sqlite.set_progress_handler(count, 100)
        try:
            return execute(sql, params, many, context)
        finally:
            sqlite.set_progress_handler(None, 100)
            statements.append(Statement(sql, steps[0], query_plan))

    with connection.execute_wrapper(wrapper):
        yield statements


def as_json(statements: list[Statement]) -> str:
    return json.dumps(
        [{"sql": s.key[:200], "work": s.work, "plan": s.plan} for s in statements], ensure_ascii=False
    )
