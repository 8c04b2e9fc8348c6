from importlib.util import find_spec

from django.urls import include, path

from core.views import favicon, healthz

from .api import api

urlpatterns = [
    # browsers that ignore the pages' <link rel="icon"> ask for this
    path("favicon.ico", favicon, name="favicon"),
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("orgs/", include("orgs.urls")),
    path("audit/", include("audit.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]

# Domain modules mount themselves here once they have pages (each app's urls.py).
for prefix, app in [
    ("members/", "members"),
    ("dues/", "dues"),
    ("congress/", "congress"),
    ("deadlines/", "deadlines"),
    ("bargaining/", "bargaining"),
    ("mediation/", "mediation"),
    ("appeals/", "appeals"),
    ("assistance/", "assistance"),
    ("proposals/", "proposals"),
    ("affairs/", "affairs"),
]:
    if find_spec(f"{app}.urls") is not None:
        urlpatterns.append(path(prefix, include(f"{app}.urls")))
