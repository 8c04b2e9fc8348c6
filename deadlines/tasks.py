from django.tasks import task


@task()
def send_notification_mail(*, notification_ids: list[int]) -> int:
    from .services import notification_mail_send

    return notification_mail_send(notification_ids=notification_ids)
