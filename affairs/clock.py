"""The open-affairs clock. Tests monkeypatch `affairs.clock.today` ("the test clock") to let the
30-day answer period run out."""

import contextlib
from collections.abc import Iterator
from datetime import date, datetime

from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def now() -> datetime:
    """The current moment, on the day `today()` says (so a moved clock moves timestamps too)."""
    current = timezone.localtime()
    day = today()
    if day == current.date():
        return current
    return timezone.make_aware(datetime.combine(day, current.time().replace(tzinfo=None)))


@contextlib.contextmanager
def frozen(day: date) -> Iterator[None]:
    """Run a block as if today were `day` (demo seed; tests use monkeypatch)."""
    global today
    saved = today
    today = lambda: day  # noqa: E731
    try:
        yield
    finally:
        today = saved
