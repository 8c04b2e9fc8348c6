from accounts.models import Role
from deadlines.permissions import source_permission
from orgs.access import permission

R = Role

# Every worker and every union officer sees the board of their union (members from their phones),
# asks questions and answers the satisfaction survey.
AFFAIRS_VIEW = permission("affairs.view", set(R), "查看厂务公开栏、提问、参加满意度调查")
# Publishing items, answering questions, read receipts, surveys and their results.
AFFAIRS_MANAGE = permission(
    "affairs.manage", {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF, R.SECRETARIAT}, "管理厂务公开"
)

# Its deadlines are seen by those who handle it.
source_permission("affairs", AFFAIRS_MANAGE)
