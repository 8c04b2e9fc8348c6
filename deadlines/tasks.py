from django.tasks import task


@task()
def notify_daily() -> dict:
    """Run once a day (``manage.py deadlines_daily`` from cron/systemd timer)."""
    from .services import notify_run

    return notify_run()


@task()
def send_notification_mail(*, notification_ids: list[int]) -> int:
    from .services import notification_mail_send

    return notification_mail_send(notification_ids=notification_ids)
