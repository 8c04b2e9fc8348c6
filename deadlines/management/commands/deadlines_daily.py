"""The daily deadline jobs: escalate overdue workers' requests, then raise notifications.
Run it once a day (cron / systemd timer), e.g. ``15 7 * * * manage.py deadlines_daily``."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

# Other modules' daily jobs that move deadlines (run before the notifications).
DAILY_JOBS = [
    "appeals.services:appeal_escalate_overdue",
    # not a deadline, but daily housekeeping: uploaded member sheets are not kept past their use
    "members.services:import_files_expire",
]


class Command(BaseCommand):
    help = "到期提醒与逾期诉求升级（每日运行一次）"

    def handle(self, *args, **options):
        for spec in DAILY_JOBS:
            module, func = spec.split(":")
            if not apps.is_installed(module.split(".")[0]):
                continue  # the module is not part of this installation
            # An installed module whose job cannot be imported is a bug: fail loudly, not skip.
            result = getattr(import_module(module), func)(actor=None)
            self.stdout.write(f"{spec}: {result}")
        from deadlines.services import notify_run

        self.stdout.write(f"notify: {notify_run()}")
