from django.core.management.base import BaseCommand

from core import crypto


class Command(BaseCommand):
    help = "Re-encrypt every sensitive field with the first key in FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        for label, count in crypto.rotate_all().items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(self.style.SUCCESS("Done. Old keys can now be removed from FIELD_ENCRYPTION_KEYS."))
