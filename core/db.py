"""Small database helpers shared by the apps."""

from django.db import connection


def analyze(*models) -> None:
    """Refresh the planner's statistics of the models' tables after a bulk write (fresh rows are
    otherwise planned for as if the table were empty)."""
    with connection.cursor() as cur:
        for model in models:
            cur.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class ForeignKeysCheckedOnce:
    """For generated bulk data on PostgreSQL (seed_demo's million members): the rows' foreign keys
    are checked once, by one anti-join per key at the end, instead of by a trigger per row and key
    (pg_restore's --disable-triggers, with the check it leaves out put back). Only where the role
    may (a superuser: session_replication_role); elsewhere the usual per-row checks run. Every
    trigger is off inside (the audit table's append-only guard too): write only the generated rows
    there. Use inside the transaction that writes them; raises IntegrityError for a key that points
    nowhere (checked over the whole table)."""

    def __init__(self, *models):
        self.models = models
        self.active = False

    def __enter__(self):
        if connection.vendor != "postgresql" or not connection.in_atomic_block:
            return self
        with connection.cursor() as cur:
            cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cur.fetchone()
            if row and row[0]:
                cur.execute("SET LOCAL session_replication_role = replica")
                self.active = True
        return self

    def __exit__(self, exc_type, exc, tb):
        if not self.active:
            return False
        from django.db import IntegrityError

        qn = connection.ops.quote_name
        with connection.cursor() as cur:
            cur.execute("SET LOCAL session_replication_role = origin")
            if exc_type is not None:
                return False
            for model in self.models:
                for field in model._meta.concrete_fields:
                    if not field.is_relation or not field.db_constraint:
                        continue
                    target = field.related_model._meta
                    cur.execute(
                        f"SELECT count(*) FROM {qn(model._meta.db_table)} t "  # noqa: S608 - model names
                        f"WHERE t.{qn(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                        f"{qn(target.db_table)} p WHERE p.{qn(target.pk.column)} = t.{qn(field.column)})"
                    )
                    if cur.fetchone()[0]:
                        raise IntegrityError(
                            f"{model._meta.label}.{field.name}: rows point to no {target.label}"
                        )
        return False
