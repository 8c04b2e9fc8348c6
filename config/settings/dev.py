"""Local development and the demo that `make run` serves."""

from .base import *  # noqa: F403
from .base import GONGHUI, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
GONGHUI["DEMO_MODE"] = True
