from accounts.models import Role
from orgs.access import permission

R = Role
MANAGERS = {R.SECRETARIAT, R.UNION_CHAIR, R.UNION_STAFF}

CONGRESS_VIEW = permission("congress.view", MANAGERS | {R.FEDERATION_ADMIN, R.DELEGATE}, "查看职代会")
CONGRESS_MANAGE = permission("congress.manage", MANAGERS, "筹备与主持职代会")
CONGRESS_VOTE = permission("congress.vote", {R.DELEGATE}, "代表投票")
