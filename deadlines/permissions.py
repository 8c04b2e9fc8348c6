from accounts.models import Role
from orgs.access import Permission, permission
from orgs.permissions import ALL_STAFF

R = Role

# Deadlines of an organization are seen by its staff (any staff role reaches the subtree).
DEADLINES_VIEW = permission("deadlines.view", ALL_STAFF, "查看组织期限事项")
# The holiday table is national: only a federation admin may change it; all staff may read it.
CALENDAR_VIEW = permission("deadlines.calendar_view", ALL_STAFF, "查看节假日表")
CALENDAR_CHANGE = permission("deadlines.calendar_change", {R.FEDERATION_ADMIN}, "维护节假日与调休表")

# A deadline's title names what it is about (a worker's request, a dispute, a household in
# hardship), so each module says which of its permissions lets a user see its deadlines; the rest
# fall back to DEADLINES_VIEW. Registered from the modules' own permissions.py.
SOURCE_PERMISSIONS: dict[str, Permission] = {}


def source_permission(app_label: str, perm: Permission) -> None:
    SOURCE_PERMISSIONS[app_label] = perm
