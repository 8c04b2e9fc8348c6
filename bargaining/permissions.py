from accounts.models import Role
from deadlines.permissions import source_permission
from orgs.access import permission

R = Role
ADMINS = {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF}

BARGAINING_VIEW = permission("bargaining.view", ADMINS | {R.SECRETARIAT}, "查看集体协商与集体合同")
BARGAINING_CHANGE = permission("bargaining.change", ADMINS, "办理集体协商与集体合同")

# Its deadlines are seen by those who handle it.
source_permission("bargaining", BARGAINING_VIEW)
