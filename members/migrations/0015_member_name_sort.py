"""Names sort syllable by syllable (陈 chen before 程 cheng): a sort key with the syllables apart,
filled in for every member registered so far."""

from django.conf import settings
from django.db import migrations, models

BATCH = 5000


def fill(apps, schema_editor):
    from members.rules import name_pinyin

    Member = apps.get_model("members", "Member")
    last = 0
    while True:
        batch = list(Member.objects.filter(pk__gt=last).order_by("pk").only("pk", "name")[:BATCH])
        if not batch:
            return
        for m in batch:
            m.name_sort = name_pinyin(m.name)[2] if m.name else ""
        Member.objects.bulk_update(batch, ["name_sort"], batch_size=1000)
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0014_import_columns'),
        ('orgs', '0002_org_table_statistics'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='member',
            options={'ordering': ['org', 'name_sort', 'id'], 'verbose_name': '会员', 'verbose_name_plural': '会员'},
        ),
        migrations.AddField(
            model_name='member',
            name='name_sort',
            field=models.CharField(blank=True, max_length=160, verbose_name='姓名排序'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['name_sort'], name='member_sort'),
        ),
    ]
