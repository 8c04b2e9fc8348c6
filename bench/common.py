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


def machine_gauge() -> float:
    """Seconds a fixed piece of pure-Python work takes now (the best of three): on a shared machine
    the same work has been seen to take almost twice as long a few minutes later, so a benchmark
    prints this beside its figures to tell a slower moment from a slower program."""
    import time

    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        s = 0
        for i in range(1_000_000):
            s += i * i % 7
        best = min(best, time.perf_counter() - t)
    return round(best, 3)
