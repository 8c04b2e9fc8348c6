"""Helpers that any long job uses to report progress to the shared progress bar.

A job that does all its work in one transaction (a member import is all or nothing) would otherwise
show 0% until the commit and then 100%: on PostgreSQL `progress_advance` called inside a transaction
writes through a second, short-lived autocommit connection so the bar moves while the work runs.
That write never waits for a lock and never fails the job: when the side connection cannot see the
row (created or locked by the job's own transaction) the step is written in the transaction instead.
SQLite has one writer at a time, so there the update goes through the job's own connection and
shows at the commit, as before."""

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.models import F

from .models import TaskProgress, TaskStatus

log = logging.getLogger(__name__)


def progress_create(*, kind: str, label: str, requested_by, org=None, total: int = 0) -> TaskProgress:
    return TaskProgress.objects.create(
        kind=kind, label=label, requested_by=requested_by, org=org, total=total
    )


def progress_start(progress_id, *, total: int) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(status=TaskStatus.RUNNING, total=total, done=0)


def _advance_outside_transaction(progress_id, step: int) -> bool:
    """True when the step was written and committed through the side connection."""
    table = connection.ops.quote_name(TaskProgress._meta.db_table)
    side = connections.create_connection(DEFAULT_DB_ALIAS)  # autocommit; a few per job
    try:
        with side.cursor() as cur:
            cur.execute(
                f"UPDATE {table} SET done = CASE WHEN total > 0 THEN LEAST(done + %s, total) "  # noqa: S608
                f"ELSE done + %s END WHERE id = (SELECT id FROM {table} WHERE id = %s FOR UPDATE SKIP LOCKED)",
                [step, step, str(progress_id)],
            )
            return cur.rowcount == 1
    except DatabaseError:  # progress is only shown; it must never fail the job
        log.warning("progress %s: could not write through the side connection", progress_id, exc_info=True)
        return False
    finally:
        side.close()


def progress_advance(progress_id, step: int = 1) -> None:
    if (
        connection.vendor == "postgresql"
        and connection.in_atomic_block
        and _advance_outside_transaction(progress_id, step)
    ):
        return
    # Outside a transaction, on SQLite, or when the side connection cannot see the row (created, or
    # locked, by the transaction itself): in the current transaction, visible at its commit.
    TaskProgress.objects.filter(pk=progress_id).update(done=F("done") + step)


def progress_finish(
    progress_id, *, message: str = "", result: dict | None = None, result_url: str = ""
) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(
        status=TaskStatus.DONE, done=F("total"), message=message, result=result or {}, result_url=result_url
    )


def progress_fail(progress_id, *, message: str) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(status=TaskStatus.FAILED, message=message[:500])
