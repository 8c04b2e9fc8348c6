"""PostgreSQL only: keep the planner's statistics of the organization tree fresh.

Every scoped query joins the tree by path range (a subtree). The table is small (tens to a few
hundred rows), so autovacuum's default threshold (50 changed rows plus 10%) may never be reached: a
federation with 36 organizations kept no statistics at all, the planner took a subtree for one
organization, and a surname search over a million members took 336 ms instead of under 1 ms. From
now on a few changes trigger an automatic ANALYZE; the table is analyzed once here too."""

from django.db import migrations


OPTIONS = {"autovacuum_analyze_threshold": 5, "autovacuum_analyze_scale_factor": 0.02}


def _org_table(apps, schema_editor) -> str | None:
    if schema_editor.connection.vendor != "postgresql":
        return None
    return schema_editor.quote_name(apps.get_model("orgs", "Organization")._meta.db_table)


def forwards(apps, schema_editor):
    if table := _org_table(apps, schema_editor):
        schema_editor.execute(f"ALTER TABLE {table} SET ({', '.join(f'{k} = {v}' for k, v in OPTIONS.items())})")
        schema_editor.execute(f"ANALYZE {table}")


def backwards(apps, schema_editor):
    if table := _org_table(apps, schema_editor):
        schema_editor.execute(f"ALTER TABLE {table} RESET ({', '.join(OPTIONS)})")


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
