from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("平台")

    def ready(self):
        # The empty choice of select boxes (Django 6.1's BLANK_CHOICE_LABEL, "- Select an option -",
        # which Django's own Simplified Chinese catalog does not translate yet). Django documents
        # setting it in an app's ready().
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = _("请选择")
