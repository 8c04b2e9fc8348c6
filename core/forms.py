from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto a bound form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errs:
                form.add_error(target if field != NON_FIELD_ERRORS else None, e.messages)
    else:
        form.add_error(None, error.messages)
