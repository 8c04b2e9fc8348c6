from accounts.models import Role
from deadlines.permissions import source_permission
from orgs.access import permission

R = Role

# Anyone with a role in an organization may open the module (members submit and follow their own
# requests there); only union chairs/staff and the federation handle requests.
APPEALS_VIEW = permission("appeals.view", set(Role), "职工诉求")
APPEALS_HANDLE = permission(
    "appeals.handle", {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF}, "办理职工诉求"
)

# Its deadlines are seen by those who handle it.
source_permission("appeals", APPEALS_HANDLE)
