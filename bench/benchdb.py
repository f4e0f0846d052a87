"""A fresh, empty database for one benchmark run, chosen before Django starts."""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def fresh_database(database_url: str | None, label: str) -> Iterator[str]:
    """SQLite in a new temporary folder, or, with `database_url`, a new PostgreSQL database on
    that server (created here, dropped at the end; the named one is not touched). Yields a
    description for the report."""
    if not database_url:
        folder = tempfile.mkdtemp(prefix=f"wangge-bench-{label}-")
        os.environ["WANGGE_DATA_DIR"] = folder
        os.environ.pop("DATABASE_URL", None)
        yield f"SQLite in {folder}"
        return
    import psycopg

    parts = urlsplit(database_url)
    name = f"wangge_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    os.environ.setdefault("WANGGE_DATA_DIR", tempfile.mkdtemp(prefix=f"wangge-bench-{label}-"))
    try:
        yield f"PostgreSQL database {name} on {parts.hostname}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
