"""English formats: Django's, except that dates are written as the rest of the site writes them
(2026-09-25, as in tables, forms and exports) instead of "Sept. 25, 2026"."""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
