from accounts.models import Role
from orgs.access import permission

R = Role
ADMINS = {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF}
ALL_STAFF = ADMINS | {R.FINANCE, R.MEDIATION, R.SECRETARIAT}

ORG_VIEW = permission("orgs.view", ALL_STAFF, "查看组织")
ORG_CHANGE = permission("orgs.change", ADMINS, "维护组织与委员会")
USERS_MANAGE = permission("users.manage", ADMINS, "管理用户与角色")
AUDIT_VIEW = permission("audit.view", {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF}, "查看审计日志")
# Only a federation admin may grant the federation admin role (on an org in their own subtree).
GRANT_FEDERATION_ADMIN = permission("users.grant_federation_admin", {R.FEDERATION_ADMIN})
