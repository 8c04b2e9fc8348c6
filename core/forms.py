import secrets

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class DateInput(forms.DateInput):
    """The HTML date picker of every form. Its value is always ISO (YYYY-MM-DD): the picker shows
    nothing for any other text, and Chinese formats would write 2023/06/07, so a saved date came
    back empty and was lost on the next save."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's own argument name
        super().__init__(attrs, format=format or "%Y-%m-%d")


# The years a page or an API call may ask about (a year filter outside them would overflow the
# date arithmetic behind it).
MIN_YEAR, MAX_YEAR = 1900, 2100


def year_param(value, default=None):
    """A year from a query string, or `default` when it is missing, not a number or out of range."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if MIN_YEAR <= year <= MAX_YEAR else default


class UserChoiceField(forms.ModelChoiceField):
    """A choice of users shown by their names (login names stay out of other people's screens)."""

    def label_from_instance(self, obj):
        return obj.get_full_name()


# One-time form tokens: a page that creates something (a worker's request, a mediation case) carries
# a token; the first POST with it records what it made, and the same POST again (Back and submit,
# a double tap) is sent to that instead of making a second one.
ONCE_KEY = "gonghui_once"
ONCE_KEEP = 20


def once_token(request) -> str:
    """The token for the form on this page: the posted one when re-showing a form with errors."""
    posted = request.POST.get("once", "") if request.method == "POST" else ""
    tokens = request.session.get(ONCE_KEY, {})
    if posted and posted in tokens:
        return posted
    token = secrets.token_urlsafe(12)
    tokens = dict(list(tokens.items())[-(ONCE_KEEP - 1) :])
    tokens[token] = ""
    request.session[ONCE_KEY] = tokens
    return token


def once_done(request) -> str:
    """Where this POST's form already led (its token was spent), or "" to go ahead."""
    return request.session.get(ONCE_KEY, {}).get(request.POST.get("once", ""), "")


def once_spend(request, url: str) -> None:
    """Record that this POST's form made the object at `url`."""
    token = request.POST.get("once", "")
    tokens = request.session.get(ONCE_KEY, {})
    if token in tokens:
        tokens[token] = url
        request.session[ONCE_KEY] = tokens


def local_page(request, url: str, under: str = "/") -> bool:
    """Whether `url` (a `next` or `back` a form sent) is a page of this site under `under`, after
    resolving "..", encoded or not (browsers read %2e%2e as ".."): safe to redirect to."""
    import posixpath
    from urllib.parse import unquote

    from django.utils.http import url_has_allowed_host_and_scheme

    path = unquote(url.split("?", 1)[0].split("#", 1)[0])
    return (
        bool(url)
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and "\\" not in url
        and path.startswith(under)
        and posixpath.normpath(path).rstrip("/") + "/" == path.rstrip("/") + "/"
    )


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto a bound form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errs:
                form.add_error(target if field != NON_FIELD_ERRORS else None, e.messages)
    else:
        form.add_error(None, error.messages)


def flash_error(request, error: ValidationError) -> None:
    """Show a service's ValidationError as error messages on the next page."""
    from django.contrib import messages

    for message in error.messages:
        messages.error(request, message)


def with_label(label, message) -> str:
    """ "label：message" with the colon of the user's language."""
    from django.utils.translation import pgettext

    return f"{label}{pgettext('label colon', '：')}{message}" if label else str(message)


def flash_form_errors(request, form, *, about: str = "") -> None:
    """Show a bound form's errors as messages, each prefixed with its field's label (and with
    `about`, e.g. the member a row's form is for, on a page of many such forms)."""
    from django.contrib import messages

    for field, errs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errs:
            messages.error(request, with_label(about, with_label(label, e)))
