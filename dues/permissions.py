from accounts.models import Role
from orgs.access import permission

R = Role

DUES_VIEW = permission(
    "dues.view", {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF, R.FINANCE}, "查看会费与经费"
)
# Wage bases, monthly runs, payments and union funds of a union.
DUES_MANAGE = permission("dues.manage", {R.UNION_CHAIR, R.FINANCE}, "核定会费、登记缴费与经费")
# The federation's dues policy; checked on the federation itself (roles reach down, not up).
DUES_POLICY = permission("dues.policy", {R.FEDERATION_ADMIN, R.FINANCE}, "维护会费与经费标准")
