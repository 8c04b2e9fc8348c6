from accounts.models import Role
from orgs.access import permission

R = Role
ADMINS = {R.FEDERATION_ADMIN, R.UNION_CHAIR, R.UNION_STAFF}

MEMBER_VIEW = permission("members.view", ADMINS | {R.FINANCE}, "查看会员名册")
MEMBER_CHANGE = permission("members.change", ADMINS, "登记、导入会员，办理转会、保留、退会")
# Decisions the committee takes (expulsion, lapse) are recorded by the chair or the federation.
MEMBER_DECIDE = permission(
    "members.decide", {R.FEDERATION_ADMIN, R.UNION_CHAIR}, "开除会籍、自动退会、删除个人信息"
)
MEMBER_REVEAL = permission("members.reveal", {R.FEDERATION_ADMIN, R.UNION_CHAIR}, "查看完整身份证号和手机号")
MEMBER_EXPORT = permission("members.export", ADMINS, "导出会员名册")
MEMBER_STATS = permission("members.stats", ADMINS | {R.FINANCE}, "会员统计")
