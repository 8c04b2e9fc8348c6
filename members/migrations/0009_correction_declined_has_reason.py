"""Every refusal gives its reason (PIPL art. 50). A migration of its own, after 0008 has given the
earlier refusals a note: on PostgreSQL a table with just-updated rows cannot be altered in the same
transaction."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0008_correction_decision_note"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="correctionrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "declined"), _negated=True),
                    models.Q(("decision_note", ""), _negated=True),
                    _connector="OR",
                ),
                name="correction_declined_has_reason",
            ),
        ),
    ]
