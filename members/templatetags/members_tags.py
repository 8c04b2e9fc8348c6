"""Template filters of the member registry."""

from django import template
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from members.rules import ETHNIC_GROUPS, RETAIN_REASONS

register = template.Library()

# Reasons the system writes itself, stored in Chinese (the language of the record), shown in the
# reader's language. What a person typed is shown as typed.
_FIXED = (
    *RETAIN_REASONS,
    gettext_noop("重新申请入会"),
    gettext_noop("在线申请"),
    gettext_noop("导入更新"),
    gettext_noop("演示数据导入"),
    gettext_noop("批量导入"),
)
_LISTS = {"修改：": gettext_noop("修改：%(f)s"), "导入更新：": gettext_noop("导入更新：%(f)s")}


@register.filter
def event_reason(reason: str) -> str:
    if not reason or (get_language() or "").startswith("zh"):
        return reason
    if reason in _FIXED:
        return _(reason)
    for prefix, template_ in _LISTS.items():
        if reason.startswith(prefix):
            labels = reason[len(prefix) :].split("、")
            return _(template_) % {"f": _("、").join(_(label) for label in labels)}
    return reason


@register.filter
def event_kind_label(kind: str) -> str:
    """A timeline event's kind as the reader's language names it."""
    from members.models import EventKind

    try:
        return str(EventKind(kind).label)
    except ValueError:
        return kind


_ETHNIC = frozenset(ETHNIC_GROUPS)


@register.filter
def ethnicity(value: str) -> str:
    """An ethnic group (stored in Chinese) in the reader's language; other texts as written."""
    if value in _ETHNIC and not (get_language() or "").startswith("zh"):
        return _(value)
    return value
