"""The one-time invitation link, shown on the page the browser is sent to after it was made: kept in
the session for that page only (the database keeps only the token's hash)."""

from django.urls import reverse

SESSION_KEY = "gonghui_invite_link"


def keep(request, raw_token: str) -> None:
    request.session[SESSION_KEY] = request.build_absolute_uri(
        reverse("accounts:invitation", args=[raw_token])
    )


def take(request) -> str | None:
    return request.session.pop(SESSION_KEY, None)
