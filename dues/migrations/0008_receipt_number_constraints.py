from django.db import migrations, models


class Migration(migrations.Migration):
    """The receipt numbers' constraints, once 0007 has given every payment its number."""

    dependencies = [
        ("dues", "0007_receipt_numbers_per_union"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="duespayment",
            constraint=models.UniqueConstraint(fields=("org", "receipt_no"), name="dues_payment_receipt_no"),
        ),
        migrations.AddConstraint(
            model_name="duespayment",
            constraint=models.CheckConstraint(
                condition=models.Q(("receipt_no", ""), _negated=True), name="dues_payment_receipt_no_set"
            ),
        ),
        migrations.AddConstraint(
            model_name="fundspayment",
            constraint=models.UniqueConstraint(fields=("org", "receipt_no"), name="dues_fpay_receipt_no"),
        ),
        migrations.AddConstraint(
            model_name="fundspayment",
            constraint=models.CheckConstraint(
                condition=models.Q(("receipt_no", ""), _negated=True), name="dues_fpay_receipt_no_set"
            ),
        ),
        migrations.AddConstraint(
            model_name="fundspayment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("official_no", ""), _negated=True),
                fields=("org", "official_no"),
                name="dues_fpay_official_no",
            ),
        ),
    ]
