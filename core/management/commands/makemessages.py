"""makemessages that also collects `_l("…")` (gettext_lazy imported as _l in some modules); xgettext
knows only the usual names, so those strings used to stay out of the catalog and untranslated."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
