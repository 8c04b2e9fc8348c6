"""What `manage.py seed_demo` hands each app's seed(ctx) function."""

import random
from dataclasses import dataclass, field
from datetime import date

from accounts.models import User
from orgs.models import Organization


@dataclass
class SeedContext:
    rng: random.Random
    today: date
    federation: Organization
    unions: list[Organization]  # grassroots unions, largest first
    branches: list[Organization]
    # demo users by username; see DEMO_LOGINS in core/management/commands/seed_demo.py
    users: dict[str, User] = field(default_factory=dict)
    members_n: int = 0  # --members N (0: the app's own small demo amount)
    password: str = "Demo-2026-gonghui"
    log: list[str] = field(default_factory=list)  # lines printed at the end of the seed
