"""Showing a service's refusal on the form that asked for it."""

from django.core.exceptions import ValidationError
from django.forms import Form


def errors_onto(form: Form, error: ValidationError) -> None:
    """A service's field errors onto the form's fields; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, " ".join(error.messages))
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)
