from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AffairsConfig(AppConfig):
    name = "affairs"
    verbose_name = _("厂务公开")
