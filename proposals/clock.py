"""The proposals module's clock. Tests monkeypatch `proposals.clock.today` to move time."""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
