from accounts.models import Role
from deadlines.permissions import source_permission
from orgs.access import permission

R = Role

# Mediators and the union's chair/staff work the cases; the federation sees its unions' cases.
MEDIATION_VIEW = permission(
    "mediation.view", {R.MEDIATION, R.UNION_CHAIR, R.UNION_STAFF, R.FEDERATION_ADMIN}, "查看劳动争议调解"
)
MEDIATION_CHANGE = permission(
    "mediation.change", {R.MEDIATION, R.UNION_CHAIR, R.UNION_STAFF}, "办理劳动争议调解"
)
# The committee itself is set up by the union's chair/staff.
COMMITTEE_CHANGE = permission("mediation.committee_change", {R.UNION_CHAIR, R.UNION_STAFF}, "维护调解委员会")

# Its deadlines are seen by those who handle it.
source_permission("mediation", MEDIATION_VIEW)
