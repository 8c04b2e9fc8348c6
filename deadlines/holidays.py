"""Public holidays and make-up working days (国务院办公厅关于部分节假日安排的通知).

The table ``CalendarDay`` is editable by staff (``deadlines:calendar``); this module only holds the
initial rows.  2026 is the State Council General Office's notice of 4 November 2025 (国务院办公厅关于
2026年部分节假日安排的通知, published by Xinhua the same day), checked line by line against its
published text, and marked ``confirmed``; for 2027 only the statutory holiday days themselves (全国年节及纪念日放假办法,
2024 revision) are entered, marked unconfirmed — add the bridge days and make-up working days from
the State Council notice once it is published.
"""

import datetime as dt

H, W = "holiday", "workday"


def _span(start: str, end: str, name: str) -> list[tuple[str, str, str]]:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return [((a + dt.timedelta(days=i)).isoformat(), H, name) for i in range((b - a).days + 1)]


DAYS_2026: list[tuple[str, str, str]] = [
    *_span("2026-01-01", "2026-01-03", "元旦"),
    ("2026-01-04", W, "元旦调休上班"),
    ("2026-02-14", W, "春节调休上班"),
    *_span("2026-02-15", "2026-02-23", "春节"),
    ("2026-02-28", W, "春节调休上班"),
    *_span("2026-04-04", "2026-04-06", "清明节"),
    *_span("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-05-09", W, "劳动节调休上班"),
    *_span("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-20", W, "国庆节调休上班"),
    *_span("2026-09-25", "2026-09-27", "中秋节"),
    *_span("2026-10-01", "2026-10-07", "国庆节"),
    ("2026-10-10", W, "国庆节调休上班"),
]

# Statutory days only (lunar dates: 春节 2027-02-06, 清明 04-05, 端午 06-09, 中秋 09-15).
DAYS_2027: list[tuple[str, str, str]] = [
    ("2027-01-01", H, "元旦"),
    *_span("2027-02-05", "2027-02-08", "春节"),
    ("2027-04-05", H, "清明节"),
    *_span("2027-05-01", "2027-05-02", "劳动节"),
    ("2027-06-09", H, "端午节"),
    ("2027-09-15", H, "中秋节"),
    *_span("2027-10-01", "2027-10-03", "国庆节"),
]

SEED: list[tuple[str, str, str, bool]] = [(d, k, n, True) for d, k, n in DAYS_2026] + [
    (d, k, n, False) for d, k, n in DAYS_2027
]


def install(model=None) -> int:
    """Create the seed rows that are missing (idempotent; edited rows are left alone)."""
    if model is None:
        from deadlines.models import CalendarDay as model
    existing = set(model.objects.values_list("date", flat=True))
    rows = [
        model(date=dt.date.fromisoformat(d), kind=k, name=n, confirmed=c)
        for d, k, n, c in SEED
        if dt.date.fromisoformat(d) not in existing
    ]
    model.objects.bulk_create(rows)
    return len(rows)
