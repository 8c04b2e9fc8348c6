import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from core.models import TaskProgress, TaskStatus
from core.progress import (
    progress_advance,
    progress_create,
    progress_fail,
    progress_finish,
    progress_start,
)
from core.testing.world import make_user

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a second connection sees commits only on PostgreSQL here"
)


def _done_seen_by_another_connection(pk) -> int:
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cur:
            cur.execute(f"SELECT done FROM {TaskProgress._meta.db_table} WHERE id = %s", [str(pk)])  # noqa: S608
            return cur.fetchone()[0]
    finally:
        other.close()


@pytest.fixture
def progress(db):
    p = progress_create(kind="test", label="测试", requested_by=make_user("progress_owner"), total=100)
    progress_start(p.pk, total=100)
    return p


def test_advance_finish_and_fail(progress):
    progress_advance(progress.pk, 30)
    progress.refresh_from_db()
    assert (progress.status, progress.done) == (TaskStatus.RUNNING, 30)
    progress_finish(progress.pk, message="好了", result={"n": 1})
    progress.refresh_from_db()
    assert (progress.status, progress.done, progress.message, progress.result) == (
        TaskStatus.DONE,
        100,
        "好了",
        {"n": 1},
    )
    progress_fail(progress.pk, message="x" * 600)
    progress.refresh_from_db()
    assert (progress.status, len(progress.message)) == (TaskStatus.FAILED, 500)


def test_advance_inside_a_transaction_works_on_every_database(progress):
    with transaction.atomic():
        progress_advance(progress.pk, 40)
        progress_advance(progress.pk, 2)
    progress.refresh_from_db()
    assert progress.done == 42


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_advance_inside_a_transaction_is_visible_at_once_on_postgresql():
    p = progress_create(kind="test", label="测试", requested_by=make_user("progress_owner2"), total=100)
    progress_start(p.pk, total=100)
    with transaction.atomic():
        progress_advance(p.pk, 25)
        assert _done_seen_by_another_connection(p.pk) == 25  # not waiting for the commit
        progress_advance(p.pk, 500)
        assert _done_seen_by_another_connection(p.pk) == 100  # never past the total
    progress_fail(p.pk, message="失败")
    p.refresh_from_db()
    assert (p.status, p.done) == (TaskStatus.FAILED, 100)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_advance_never_waits_for_a_row_locked_by_the_job_itself():
    p = progress_create(kind="test", label="测试", requested_by=make_user("progress_owner3"), total=10)
    progress_start(p.pk, total=10)
    with transaction.atomic():
        TaskProgress.objects.select_for_update().get(pk=p.pk)
        progress_advance(p.pk, 3)  # would deadlock if it waited for the lock
    progress_finish(p.pk)
    p.refresh_from_db()
    assert (p.status, p.done) == (TaskStatus.DONE, 10)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_row_created_by_the_transaction_itself_still_counts():
    with transaction.atomic():
        p = progress_create(kind="test", label="测试", requested_by=make_user("progress_owner4"), total=10)
        progress_start(p.pk, total=10)
        progress_advance(p.pk, 4)
        progress_advance(p.pk, 3)
    p.refresh_from_db()
    assert p.done == 7
