from django.conf import settings
from django.urls import NoReverseMatch, reverse

from orgs import access

from .navigation import NAV, SECTIONS, permission_at


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.GONGHUI["DEMO_MODE"]}
    sections = []
    for key, label in SECTIONS:
        items = []
        for item in NAV:
            if item.section != key:
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                url = None
            if item.permission.startswith("role:"):
                if url is None or item.permission[5:] not in access.roles_of(user):
                    continue
            elif item.permission:
                perm = permission_at(item.permission)
                if url is not None and (perm is None or not access.has_any(user, perm)):
                    continue
                if url is None and not access.roles_of(user) & {
                    "federation_admin",
                    "union_chair",
                    "union_staff",
                }:
                    continue
            elif url is None and not access.roles_of(user) & {
                "federation_admin",
                "union_chair",
                "union_staff",
            }:
                continue
            items.append({"label": item.label, "url": url, "active": False})
        if items:
            sections.append({"label": label, "items": items})
    # The active entry is the one whose address is the longest start of this page's: /members/me/
    # is not active on /members/me/history/, which has an entry of its own.
    found = [i for sec in sections for i in sec["items"] if i["url"] and request.path.startswith(i["url"])]
    if found:
        max(found, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_sections": sections, "demo_mode": settings.GONGHUI["DEMO_MODE"]}
