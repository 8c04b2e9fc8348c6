from accounts.models import Role
from deadlines.permissions import source_permission
from orgs.access import permission

R = Role
ADMINS = {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF}

ASSISTANCE_VIEW = permission("assistance.view", ADMINS | {R.FINANCE}, "查看困难职工档案（脱敏）")
ASSISTANCE_CHANGE = permission("assistance.change", ADMINS, "办理困难职工帮扶")
ASSISTANCE_PAY = permission("assistance.pay", ADMINS | {R.FINANCE}, "登记帮扶资金发放")
# Need-to-know (PIPL art. 28-30): income, health, bank account and ID number in clear.
ASSISTANCE_SENSITIVE = permission(
    "assistance.sensitive", {R.UNION_CHAIR, R.UNION_STAFF}, "查看困难职工敏感信息"
)
ASSISTANCE_STANDARDS = permission("assistance.standards", {R.FEDERATION_ADMIN}, "维护低保标准")
# The public notice (公示) is for everyone in the organization.
ASSISTANCE_NOTICE = permission("assistance.notice", set(Role.values), "查看困难职工公示")

# Its deadlines are seen by those who handle it.
source_permission("assistance", ASSISTANCE_VIEW)
