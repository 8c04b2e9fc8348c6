"""`make run`: the web server and the task worker side by side, with the URL and demo logins."""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from core.management.commands.seed_demo import demo_logins_text


class Command(BaseCommand):
    help = "Run the web server and the background task worker together (local use)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        python = sys.executable
        worker = subprocess.Popen(
            [python, "manage.py", "db_worker", "--interval", "1"], cwd=settings.BASE_DIR
        )
        web = subprocess.Popen(
            [python, "manage.py", "runserver", f"{host}:{port}", "--noreload", "--skip-checks"],
            cwd=settings.BASE_DIR,
        )
        # The daily jobs (request escalation, deadline reminders): once now, then every morning.
        # Production runs `manage.py deadlines_daily` from cron or a systemd timer instead.
        daily = [python, "manage.py", "deadlines_daily"]
        subprocess.run(daily, cwd=settings.BASE_DIR, check=False, capture_output=True)
        last_daily = time.monotonic()
        time.sleep(1.5)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"gonghui is running at http://{host}:{port}/  (task worker pid {worker.pid})")
        )
        self.stdout.write(demo_logins_text())
        self.stdout.write("Press Ctrl-C to stop.\n")
        procs = [web, worker]

        def stop(*_args):
            for p in procs:
                if p.poll() is None:
                    p.terminate()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
                if time.monotonic() - last_daily > 24 * 3600:
                    subprocess.run(daily, cwd=settings.BASE_DIR, check=False, capture_output=True)
                    last_daily = time.monotonic()
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for p in procs:
                p.wait(timeout=10)
