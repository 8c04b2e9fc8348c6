"""Simplified Chinese formats: Django's, except that large numbers are grouped by thousands with a
comma (千分位), as Chinese accounting software and financial statements print amounts
(112,510.45), where Django's own formats group nothing."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
