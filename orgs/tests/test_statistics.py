"""The organization tree keeps planner statistics on PostgreSQL (see migration orgs 0002): every
scoped query joins it by path range, and without statistics a subtree looks like one organization."""

import pytest
from django.db import connection

from members import importing
from orgs.models import Organization


@pytest.mark.django_db
def test_org_table_is_analyzed_after_a_few_changes():
    if connection.vendor != "postgresql":
        pytest.skip("autovacuum settings are PostgreSQL's")
    with connection.cursor() as cur:
        cur.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Organization._meta.db_table])
        options = set(cur.fetchone()[0])
    assert options == {"autovacuum_analyze_threshold=5", "autovacuum_analyze_scale_factor=0.02"}


def test_bulk_load_statistics_include_the_org_tree(world):
    """A bulk load refreshes the tree's statistics along with the registry's."""
    importing.analyze_tables()
    table = Organization._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s AND attname = 'path'", [table])
        else:
            cur.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        assert cur.fetchone()[0] >= 1
