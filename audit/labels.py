from django.utils.translation import gettext_lazy as _

# Human names of audit actions. Modules add theirs here as they are built.
ACTION_LABELS = {
    "user.login": _("登录"),
    "user.invite": _("邀请用户"),
    "user.reinvite": _("重发邀请"),
    "user.invitation_accept": _("接受邀请并设置密码"),
    "user.activate": _("启用用户"),
    "user.deactivate": _("停用用户"),
    "user.2fa_enable": _("开启双因素认证"),
    "user.2fa_disable": _("关闭双因素认证"),
    "user.lockout": _("登录锁定"),
    "role.grant": _("分配角色"),
    "role.revoke": _("撤销角色"),
    "api_token.create": _("创建API令牌"),
    "api_token.revoke": _("撤销API令牌"),
    "org.create": _("新建组织"),
    "org.update": _("修改组织信息"),
    "org.warnings_recompute": _("重新检查提醒事项"),
    "committee.add": _("添加委员会成员"),
    "committee.remove": _("移除委员会成员"),
    "sensitive.reveal": _("查看敏感信息明文"),
}


def all_action_labels() -> dict:
    """Labels of the platform plus those each app declares in its own labels.py (ACTION_LABELS)."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.conf import settings

    merged = dict(ACTION_LABELS)
    for app in settings.INSTALLED_APPS:
        if "." in app or app == "audit" or not (settings.BASE_DIR / app / "labels.py").is_file():
            continue
        if find_spec(f"{app}.labels") is not None:
            merged.update(getattr(import_module(f"{app}.labels"), "ACTION_LABELS", {}))
    return merged
