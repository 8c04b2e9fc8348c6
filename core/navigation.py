"""The main navigation: one entry per module of the product (the brief's seven points).
A module whose pages are not built yet is shown as "建设中" so users see where it will sit."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str  # dotted path to a Permission in some app's permissions module, or "" for any user
    section: str


SECTIONS = [
    ("org", _("组织与会员")),
    ("democracy", _("民主管理")),
    ("rights", _("维权服务")),
    ("innovation", _("建功立业")),
    ("learning", _("学习型组织")),
    ("home", _("职工之家")),
    ("oversight", _("监督与系统")),
]

NAV = [
    NavItem(_("组织架构"), "orgs:tree", "orgs.permissions.ORG_VIEW", "org"),
    NavItem(_("会员名册"), "members:list", "members.permissions.MEMBER_VIEW", "org"),
    NavItem(_("会费与经费"), "dues:home", "dues.permissions.DUES_VIEW", "org"),
    NavItem(_("职工代表大会"), "congress:home", "congress.permissions.CONGRESS_VIEW", "democracy"),
    NavItem(_("职工提案"), "proposals:home", "proposals.permissions.PROPOSALS_VIEW", "democracy"),
    NavItem(_("厂务公开"), "affairs:home", "affairs.permissions.AFFAIRS_VIEW", "democracy"),
    NavItem(_("集体协商"), "bargaining:home", "bargaining.permissions.BARGAINING_VIEW", "rights"),
    NavItem(_("劳动争议调解"), "mediation:home", "mediation.permissions.MEDIATION_VIEW", "rights"),
    NavItem(_("职工诉求"), "appeals:home", "appeals.permissions.APPEALS_VIEW", "rights"),
    NavItem(_("困难职工帮扶"), "assistance:home", "assistance.permissions.ASSISTANCE_VIEW", "rights"),
    NavItem(_("期限日历"), "deadlines:mine", "", "rights"),
    NavItem(_("合理化建议与创新"), "innovation:home", "", "innovation"),
    NavItem(_("培训与学习"), "learning:home", "", "learning"),
    NavItem(_("职工之家建设"), "home:home", "", "home"),
    NavItem(_("统计看板"), "reports:home", "", "oversight"),
    NavItem(_("用户与角色"), "accounts:user_list", "orgs.permissions.USERS_MANAGE", "oversight"),
    NavItem(_("审计日志"), "audit:list", "orgs.permissions.AUDIT_VIEW", "oversight"),
]
