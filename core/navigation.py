"""The main navigation: one entry per module of the product (the brief's seven points).
A module whose pages are not built yet is shown as "建设中" so users see where it will sit."""

from dataclasses import dataclass
from importlib import import_module

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from orgs import access


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str  # dotted path to a Permission in some app's permissions module, "role:<role>" for
    # holders of that role, or "" for any user
    section: str


SECTIONS = [
    ("me", _("我的")),
    ("org", _("组织与会员")),
    ("democracy", _("民主管理")),
    ("rights", _("维权服务")),
    ("innovation", _("建功立业")),
    ("learning", _("学习型组织")),
    ("home", _("职工之家")),
    ("oversight", _("监督与系统")),
]

NAV = [
    NavItem(_("我的会员卡"), "members:my_card", "role:member", "me"),
    NavItem(_("会籍与会费"), "members:my_history", "role:member", "me"),
    NavItem(_("我的信息"), "members:my_data", "role:member", "me"),
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
    NavItem(_("会员统计"), "members:stats", "members.permissions.MEMBER_STATS", "oversight"),
    NavItem(_("用户与角色"), "accounts:user_list", "orgs.permissions.USERS_MANAGE", "oversight"),
    NavItem(_("审计日志"), "audit:list", "orgs.permissions.AUDIT_VIEW", "oversight"),
]


# The first things each role does: shown on the home page as shortcuts (those whose pages exist).
ROLE_SHORTCUTS: dict[str, list[tuple[str, str]]] = {
    "federation_admin": [
        ("orgs:tree", _("组织架构")),
        ("dues:home", _("会费与经费")),
        ("appeals:home", _("职工诉求")),
        ("accounts:user_list", _("用户与角色")),
        ("audit:list", _("审计日志")),
    ],
    "union_chair": [
        ("members:list", _("会员名册")),
        ("members:import", _("导入会员")),
        ("dues:home", _("会费与经费")),
        ("congress:home", _("职工代表大会")),
        ("bargaining:home", _("集体协商")),
        ("deadlines:mine", _("我的期限")),
    ],
    "union_staff": [
        ("members:list", _("会员名册")),
        ("members:import", _("导入会员")),
        ("affairs:home", _("厂务公开")),
        ("appeals:home", _("职工诉求")),
        ("assistance:home", _("困难职工帮扶")),
        ("deadlines:mine", _("我的期限")),
    ],
    "finance": [("dues:home", _("会费与经费"))],
    "mediation": [("mediation:home", _("劳动争议调解")), ("deadlines:mine", _("我的期限"))],
    "secretariat": [("congress:home", _("职工代表大会")), ("proposals:home", _("职工提案"))],
    "delegate": [("congress:home", _("职工代表大会")), ("proposals:home", _("职工提案"))],
    "member": [
        ("members:my_card", _("我的会员卡")),
        ("members:my_history", _("会籍与会费")),
        ("members:my_data", _("我的信息")),
        ("appeals:home", _("反映诉求")),
        ("affairs:home", _("厂务公开")),
        ("proposals:home", _("职工提案")),
    ],
}


# Shortcuts for whoever holds a permission, whatever their role: the same check as the page's own
# (a dotted path to the Permission, as in NAV).
PERMISSION_SHORTCUTS: list[tuple[str, str, str]] = [
    ("members:stats", _("会员统计"), "members.permissions.MEMBER_STATS"),
]


def permission_at(path: str):
    """The Permission a dotted path names, or None when its module is not installed."""
    module, _sep, name = path.rpartition(".")
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def shortcuts_for(user) -> list[dict]:
    roles = access.roles_of(user)
    entries = [e for role, es in ROLE_SHORTCUTS.items() if role in roles for e in es]
    for url_name, label, perm_path in PERMISSION_SHORTCUTS:
        perm = permission_at(perm_path)
        if perm is not None and access.has_any(user, perm):
            entries.append((url_name, label))
    seen: set[str] = set()
    items = []
    for url_name, label in entries:
        if url_name in seen:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        seen.add(url_name)
        items.append({"url": url, "label": label})
    return items
