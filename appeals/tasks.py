from django.tasks import task


@task()
def escalate_overdue_daily() -> dict:
    """Run once a day before the deadline notifications (``manage.py deadlines_daily``)."""
    from .services import appeal_escalate_overdue

    return appeal_escalate_overdue()
