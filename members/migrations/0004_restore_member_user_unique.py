# Migration 0002 took the user column's plain index away; on PostgreSQL Django's schema editor
# dropped every single-column index on user_id with it, including the partial unique index of the
# member_user_unique constraint. Put it back where it is missing (both databases accept this SQL).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_initials_pinyin_index"),
    ]

    operations = [
        migrations.RunSQL(
            'CREATE UNIQUE INDEX IF NOT EXISTS "member_user_unique" ON "members_member" ("user_id") '
            'WHERE "user_id" IS NOT NULL',
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
