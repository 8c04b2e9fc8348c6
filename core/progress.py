"""Helpers that any long job uses to report progress to the shared progress bar."""

from django.db.models import F

from .models import TaskProgress, TaskStatus


def progress_create(*, kind: str, label: str, requested_by, org=None, total: int = 0) -> TaskProgress:
    return TaskProgress.objects.create(
        kind=kind, label=label, requested_by=requested_by, org=org, total=total
    )


def progress_start(progress_id, *, total: int) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(status=TaskStatus.RUNNING, total=total, done=0)


def progress_advance(progress_id, step: int = 1) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(done=F("done") + step)


def progress_finish(
    progress_id, *, message: str = "", result: dict | None = None, result_url: str = ""
) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(
        status=TaskStatus.DONE, done=F("total"), message=message, result=result or {}, result_url=result_url
    )


def progress_fail(progress_id, *, message: str) -> None:
    TaskProgress.objects.filter(pk=progress_id).update(status=TaskStatus.FAILED, message=message[:500])
