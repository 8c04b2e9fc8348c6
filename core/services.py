from django.db import transaction

from audit.services import audit_record

from . import crypto


def sensitive_reveal(*, actor, obj, field: str, ciphertext: str, org, label: str = "") -> str:
    """Decrypt one sensitive value for a permitted user and write the audit event that says so.
    The caller has already checked the reveal permission through orgs.access."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="sensitive.reveal",
            target=obj,
            org=org,
            details={"field": field, "label": label},
        )
    return crypto.decrypt(ciphertext)
