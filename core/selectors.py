"""Reads for the home page that gather several modules."""

from deadlines import calendar
from deadlines.selectors import deadline_counts
from members import selectors as member_selectors
from members.permissions import MEMBER_CHANGE, MEMBER_DECIDE
from orgs import access


def attention_for(user) -> dict:
    """What waits for the user, as the pages that list it count it: overdue and due-soon deadlines
    (the figures of "my deadlines", within the reminder window) and, for those who register members,
    online applications, members' correction requests and incoming transfers still to decide
    (None for the others), and for those who decide on memberships, former members whose personal
    data is due for deletion. `total` adds up what is there."""
    counts = deadline_counts(user)
    out = {
        "window": calendar.rule("deadlines.reminder_window").days,
        "overdue": counts["overdue"] or 0,
        "soon": counts["soon"] or 0,
        "applications": None,
        "corrections": None,
        "transfers": None,
        "erasure": None,
    }
    if access.has_any(user, MEMBER_CHANGE):
        out["applications"] = member_selectors.applications_pending(user).count()
        out["corrections"] = member_selectors.open_corrections_count(user)
        out["transfers"] = member_selectors.transfers_incoming(user).count()
    if access.has_any(user, MEMBER_DECIDE):
        out["erasure"] = member_selectors.count_upto(member_selectors.erasure_due(user), 999)[0]
    out["total"] = sum(v or 0 for k, v in out.items() if k != "window")
    return out
