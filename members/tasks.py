from django.tasks import task


@task()
def member_import_apply(imp_id: int, progress_id: str) -> dict:
    from .services import import_apply

    return import_apply(imp_id=imp_id, progress_id=progress_id)
