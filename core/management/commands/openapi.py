import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SCHEMA_PATH = settings.BASE_DIR / "docs" / "openapi.json"


def current_schema() -> str:
    from config.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI schema to docs/openapi.json (--write) or fail when it drifted (--check)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--write", action="store_true")
        group.add_argument("--check", action="store_true")

    def handle(self, *args, write=False, check=False, **options):
        schema = current_schema()
        if write:
            SCHEMA_PATH.write_text(schema)
            self.stdout.write(f"wrote {SCHEMA_PATH.relative_to(settings.BASE_DIR)}")
            return
        committed = SCHEMA_PATH.read_text() if SCHEMA_PATH.exists() else ""
        if committed != schema:
            raise CommandError(
                "docs/openapi.json differs from the API in the code. Run `make openapi` and commit the result."
            )
        self.stdout.write("OpenAPI schema matches docs/openapi.json")
