from django.tasks import task


@task()
def recompute_subtree_warnings(*, org_id: int, progress_id: str) -> None:
    from .services import warnings_recompute_run

    warnings_recompute_run(org_id=org_id, progress_id=progress_id)
