from django.db import migrations
from django.db.models import F


def effective_when_review_ends(apps, schema_editor):
    """Contracts already filed took effect on day 15 even when the review period rolled past a
    holiday; from now on they take effect when the period ends (consultation_file)."""
    Consultation = apps.get_model("bargaining", "Consultation")
    Consultation.objects.filter(status="filed", review_due__isnull=False).update(effective_on=F("review_due"))


class Migration(migrations.Migration):
    dependencies = [("bargaining", "0004_congress_poll_link")]

    operations = [migrations.RunPython(effective_when_review_ends, migrations.RunPython.noop)]
