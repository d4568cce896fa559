"""Helpers of the benchmarks (``python manage.py bench NAME``): a PostgreSQL database of the
benchmark's own, and the benchmark's measuring half run in a child process against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg

PG_BASE_URL = "postgres://postgres@127.0.0.1:5432"


def run_in_bench_database(
    *, database: str, name: str, argv: list[str], keep: bool, env: dict | None = None
) -> dict:
    """Create (or, with ``keep``, reuse) the PostgreSQL database ``database``, migrate it, and run
    ``bench NAME --child ARGV`` against it in a child process; returns the child's last-line JSON."""
    with psycopg.connect(f"{PG_BASE_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and not keep:
            conn.execute(f"DROP DATABASE {database} WITH (FORCE)")
            exists = None
        if not exists:
            conn.execute(f"CREATE DATABASE {database}")
    child_env = {**os.environ, "DATABASE_URL": f"{PG_BASE_URL}/{database}", "DEBUG": "1", **(env or {})}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=child_env, check=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", name, "--child", *argv],
        env=child_env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])
