from django.tasks import task


@task()
def ballots_vacuum() -> str:
    """Reclaim the old row versions of the ballot table after a secret poll's ballots were
    rewritten in random order at closing (services._shuffle_ballots): until then the deleted
    versions keep the order in which the ballots arrived. PostgreSQL: VACUUM the table. SQLite:
    the deletion already overwrote them (secure_delete); checkpoint the write-ahead log."""
    from django.db import connection

    if connection.in_atomic_block:  # VACUUM cannot run in a transaction (only tests get here)
        return "skipped"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM congress_ballot")
        elif connection.vendor == "sqlite":
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return "done"
