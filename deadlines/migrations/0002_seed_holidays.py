from django.db import migrations


def forwards(apps, schema_editor):
    from deadlines.holidays import install

    install(apps.get_model("deadlines", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_calendar_day")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
