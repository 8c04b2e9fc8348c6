"""The open-affairs clock. Tests monkeypatch `affairs.clock.today` ("the test clock") to let the
30-day answer period run out."""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
