"""Pieces shared by the benchmark scripts (run as `python bench/<name>.py`, so this directory is on
sys.path)."""

from pathlib import Path


def member_count(url: str) -> int:
    """Members already in a benchmark database (-1 if it does not exist or is not migrated)."""
    try:
        if url.startswith("sqlite"):
            import sqlite3

            path = url.split("sqlite:///", 1)[1]
            if not Path(path).exists():
                return -1
            with sqlite3.connect(path) as c:
                return c.execute("SELECT COUNT(*) FROM members_member").fetchone()[0]
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute("SELECT COUNT(*) FROM members_member").fetchone()[0]
    except Exception:  # noqa: BLE001 - missing database or tables
        return -1
