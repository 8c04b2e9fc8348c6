from accounts.models import Role
from deadlines.permissions import source_permission
from orgs.access import permission

R = Role
MANAGERS = {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF, R.SECRETARIAT}
WORKERS = {R.UNION_CHAIR, R.UNION_STAFF, R.SECRETARIAT, R.DELEGATE, R.MEMBER}

# Opening the module: managers see every proposal of their unions, workers only their own and those
# they were asked to co-sign (selectors.proposals_for).
PROPOSALS_VIEW = permission("proposals.view", MANAGERS | WORKERS, "查看职工提案")
# Putting forward a proposal and co-signing one: anyone with a role on the union who works there.
PROPOSALS_SUBMIT = permission("proposals.submit", WORKERS, "提出提案、附议")
# Collection windows, review, assignment, replies, follow-up, archive, the handling report.
PROPOSALS_MANAGE = permission("proposals.manage", MANAGERS, "征集、审查、交办、督办提案")

# Its deadlines are seen by those who handle it.
source_permission("proposals", PROPOSALS_MANAGE)
