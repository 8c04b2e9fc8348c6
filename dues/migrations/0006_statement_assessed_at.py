from django.db import migrations, models


def backfill(apps, schema_editor):
    """A statement was last computed when it was last saved (at worst later, by a payment). Its
    newest membership event stays unknown (empty): membership changes are only flagged on statements
    computed from now on, and wages entered before this migration (no updated_at) never."""
    DuesRun = apps.get_model("dues", "DuesRun")
    DuesRun.objects.update(assessed_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("dues", "0005_payment_reversals"),
    ]

    operations = [
        migrations.AddField(
            model_name="duesrun",
            name="assessed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="核定时间"),
        ),
        migrations.AddField(
            model_name="duesrun",
            name="assessed_event_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        # nullable: no rewrite of a large wage table, no backfill
        migrations.AddField(
            model_name="wagebase",
            name="updated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="wagebase",
            index=models.Index(fields=["org", "updated_at"], name="dues_wage_org_updated"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
