"""Small database helpers shared by the apps."""

from django.db import connection


def analyze(*models) -> None:
    """Refresh the planner's statistics of the models' tables after a bulk write (fresh rows are
    otherwise planned for as if the table were empty)."""
    with connection.cursor() as cur:
        for model in models:
            cur.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
