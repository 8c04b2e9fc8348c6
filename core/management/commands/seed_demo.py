"""A realistic, deterministic street federation for the demo and the benchmarks.

    manage.py seed_demo               # build it (refuses if organizations exist)
    manage.py seed_demo --if-empty    # build it only into an empty database (make run)
    manage.py seed_demo --members N   # also N members spread over the unions (benchmarks)

Each domain app adds its own rows through `<app>/seed.py: seed(ctx)`.
"""

import random
import time
from datetime import date
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Role, RoleAssignment, User
from core.seed import SeedContext, chinese_name, credit_code
from orgs.models import CommitteeMember, Organization, OrgKind, Ownership, Position, Sector
from orgs.rules import committee_size_range
from orgs.services import org_create, warnings_recompute

PASSWORD = "Demo-2026-gonghui"
SEED = 20261125
TODAY = date(2026, 11, 25)

# name, unit, sector, ownership, employees, membership rate, founded year, term (start year, years) or None
UNIONS = [
    (
        "杭州星河电子科技有限公司工会",
        "杭州星河电子科技有限公司",
        Sector.MANUFACTURING,
        Ownership.FOREIGN,
        1350,
        0.93,
        2008,
        (2023, 5),
    ),
    (
        "东湖精密机械有限公司工会",
        "东湖精密机械有限公司",
        Sector.MANUFACTURING,
        Ownership.PRIVATE,
        820,
        0.88,
        2011,
        (2022, 5),
    ),
    (
        "城东物流集团有限公司工会",
        "城东物流集团有限公司",
        Sector.LOGISTICS,
        Ownership.STATE,
        600,
        0.97,
        2003,
        (2022, 5),
    ),
    (
        "宏达纺织有限公司工会",
        "宏达纺织有限公司",
        Sector.MANUFACTURING,
        Ownership.PRIVATE,
        540,
        0.81,
        2013,
        (2020, 5),
    ),
    (
        "和顺建筑工程有限公司工会",
        "和顺建筑工程有限公司",
        Sector.CONSTRUCTION,
        Ownership.PRIVATE,
        430,
        0.64,
        2015,
        (2021, 3),
    ),
    (
        "瑞丰食品有限公司工会",
        "瑞丰食品有限公司",
        Sector.MANUFACTURING,
        Ownership.PRIVATE,
        330,
        0.86,
        2016,
        (2024, 5),
    ),
    (
        "鑫源超市连锁有限公司工会",
        "鑫源超市连锁有限公司",
        Sector.RETAIL,
        Ownership.PRIVATE,
        280,
        0.72,
        2017,
        (2023, 3),
    ),
    ("云帆软件有限公司工会", "云帆软件有限公司", Sector.IT, Ownership.PRIVATE, 210, 0.77, 2019, (2024, 5)),
    (
        "海棠酒店有限公司工会",
        "海棠酒店有限公司",
        Sector.HOSPITALITY,
        Ownership.FOREIGN,
        190,
        0.84,
        2012,
        (2024, 3),
    ),
    (
        "东湖街道社区卫生服务中心工会",
        "东湖街道社区卫生服务中心",
        Sector.HEALTH,
        Ownership.INSTITUTION,
        160,
        0.99,
        2006,
        (2022, 5),
    ),
    (
        "东湖物业服务有限公司工会",
        "东湖物业服务有限公司",
        Sector.PROPERTY,
        Ownership.PRIVATE,
        140,
        0.79,
        2018,
        (2025, 5),
    ),
    (
        "绿城餐饮管理有限公司工会",
        "绿城餐饮管理有限公司",
        Sector.HOSPITALITY,
        Ownership.PRIVATE,
        120,
        0.68,
        2020,
        None,
    ),
    (
        "东湖第一小学工会",
        "杭州市东湖第一小学",
        Sector.EDUCATION,
        Ownership.INSTITUTION,
        95,
        1.0,
        1998,
        (2023, 5),
    ),
    ("东湖街道办事处机关工会", "东湖街道办事处", Sector.PUBLIC, Ownership.ORGAN, 85, 1.0, 2001, (2024, 5)),
    ("安康养老服务中心工会", "安康养老服务中心", Sector.HEALTH, Ownership.SOCIAL, 70, 0.9, 2019, (2024, 3)),
    (
        "东湖农商银行东湖支行工会",
        "东湖农村商业银行东湖支行",
        Sector.FINANCE,
        Ownership.STATE,
        60,
        0.98,
        2009,
        (2024, 5),
    ),
    (
        "顺捷快递服务站联合工会",
        "东湖街道快递服务站（联合）",
        Sector.LOGISTICS,
        Ownership.PRIVATE,
        48,
        0.75,
        2022,
        (2022, 3),
    ),
    (
        "东湖家政服务有限公司工会",
        "东湖家政服务有限公司",
        Sector.SERVICES,
        Ownership.PRIVATE,
        40,
        0.85,
        2021,
        (2024, 3),
    ),
    (
        "东湖汽车维修有限公司工会",
        "东湖汽车维修有限公司",
        Sector.SERVICES,
        Ownership.PRIVATE,
        35,
        0.8,
        2020,
        (2023, 3),
    ),
    (
        "明德职业培训学校工会",
        "明德职业培训学校",
        Sector.EDUCATION,
        Ownership.SOCIAL,
        30,
        0.9,
        2023,
        (2023, 5),
    ),
]
BRANCHES = {
    0: ["SMT车间分会", "总装车间分会", "研发中心分会", "行政后勤分会"],
    1: ["机加工车间分会", "装配车间分会"],
    2: ["仓储中心分会", "运输车队分会", "分拣中心分会"],
    3: ["纺纱车间分会", "织造车间分会"],
}
STREETS = ["东湖路", "新城大道", "兴业街", "文一路", "丰潭路", "莫干山路", "古墩路", "学院路"]

# (username, role, which org: "fed" or union index, full name)
DEMO_USERS = [
    ("fed_admin", Role.FEDERATION_ADMIN, "fed", "王建国"),
    ("fed_staff", Role.UNION_STAFF, "fed", "陈晓燕"),
    ("chair_1", Role.UNION_CHAIR, 0, "李红梅"),
    ("staff_1", Role.UNION_STAFF, 0, "张伟"),
    ("finance_1", Role.FINANCE, 0, "刘芳"),
    ("mediator_1", Role.MEDIATION, 0, "赵志强"),
    ("secretariat_1", Role.SECRETARIAT, 0, "孙丽华"),
    ("delegate_1", Role.DELEGATE, 0, "周海燕"),
    ("member_1", Role.MEMBER, 0, "吴浩然"),
    ("chair_2", Role.UNION_CHAIR, 1, "黄建华"),
    ("staff_2", Role.UNION_STAFF, 1, "郑雪梅"),
    ("chair_3", Role.UNION_CHAIR, 2, "马军"),
    ("secretariat_3", Role.SECRETARIAT, 2, "何静"),
]
SEED_ORDER = [
    "members",
    "dues",
    "congress",
    "proposals",
    "affairs",
    "deadlines",
    "bargaining",
    "mediation",
    "appeals",
    "assistance",
]


def demo_logins_text() -> str:
    lines = [f"Demo logins (password for all: {PASSWORD}):"]
    labels = dict(Role.choices)
    for username, role, where, name in DEMO_USERS:
        place = "东湖街道总工会" if where == "fed" else UNIONS[where][0]
        lines.append(f"  {username:<14} {name}  {labels[role]} · {place}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load the demo street federation (deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing when organizations exist")
        parser.add_argument("--members", type=int, default=0, help="also create N members (benchmarks)")
        parser.add_argument("--only-core", action="store_true", help="skip the domain apps' demo rows")

    def handle(self, *args, if_empty=False, members=0, only_core=False, **options):
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("Database already has data; demo data not loaded.")
                return
            raise CommandError(
                "The database already has organizations; seed_demo only fills an empty database."
            )
        started = time.monotonic()
        ctx = self.build_core(members)
        self.stdout.write(f"core: federation, {len(ctx.unions)} unions, {len(ctx.branches)} branches, users")
        if not only_core:
            for app in SEED_ORDER:
                if app in settings.INSTALLED_APPS and find_spec(f"{app}.seed") is not None:
                    t = time.monotonic()
                    import_module(f"{app}.seed").seed(ctx)
                    self.stdout.write(f"{app}: {time.monotonic() - t:.1f}s")
        warnings_recompute(orgs=Organization.objects.all(), today=ctx.today)
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {time.monotonic() - started:.1f}s."))
        self.stdout.write(demo_logins_text())

    @transaction.atomic
    def build_core(self, members_n: int) -> SeedContext:
        rng = random.Random(SEED)
        fed = org_create(
            actor=None,
            parent=None,
            kind=OrgKind.FEDERATION,
            name="东湖街道总工会",
            unit_name="杭州市西湖区东湖街道",
            address="杭州市西湖区东湖路1号",
            contact_phone="0571-88001234",
            founded_on=date(1999, 5, 1),
            term_start=date(2022, 6, 1),
            term_end=date(2027, 6, 1),
        )
        unions, branches = [], []
        for i, (name, unit, sector, ownership, employees, rate, founded, term) in enumerate(UNIONS):
            members = min(employees, round(employees * rate))
            term_start = date(term[0], rng.randint(1, 12), 1) if term else None
            term_end = date(term_start.year + term[1], term_start.month, 1) if term else None
            union = org_create(
                actor=None,
                parent=fed,
                kind=OrgKind.UNION,
                name=name,
                unit_name=unit,
                credit_code=credit_code(rng),
                sector=sector,
                ownership=ownership,
                employee_count=employees,
                member_count=members,
                address=f"杭州市西湖区{rng.choice(STREETS)}{rng.randint(1, 399)}号",
                contact_phone=f"0571-8{rng.randint(1000000, 9999999)}",
                founded_on=date(founded, rng.randint(1, 12), rng.randint(1, 28)),
                term_start=term_start,
                term_end=term_end,
            )
            unions.append(union)
            self.seed_committee(rng, union, i)
            for b_name in BRANCHES.get(i, []):
                branch = org_create(
                    actor=None,
                    parent=union,
                    kind=OrgKind.BRANCH,
                    name=f"{unit}{b_name}",
                    employee_count=employees // (len(BRANCHES[i]) + 1),
                )
                branches.append(branch)
                if i == 0:
                    branches.append(
                        org_create(
                            actor=None, parent=branch, kind=OrgKind.GROUP, name=f"{b_name[:-2]}第一工会小组"
                        )
                    )
        users = {}
        for username, role, where, full_name in DEMO_USERS:
            org = fed if where == "fed" else unions[where]
            user = User.objects.create_user(username=username, password=PASSWORD, full_name=full_name)
            RoleAssignment.objects.create(user=user, org=org, role=role)
            users[username] = user
        return SeedContext(
            rng=rng,
            today=TODAY,
            federation=fed,
            unions=unions,
            branches=branches,
            users=users,
            members_n=members_n,
            password=PASSWORD,
        )

    def seed_committee(self, rng: random.Random, union: Organization, index: int) -> None:
        # A few unions are left with problems on purpose, so the warnings have something to show.
        if union.term_start is None:
            return  # no committee elected yet (≥ 25 members: a warning)
        low, high = committee_size_range(union.member_count)
        size = rng.randint(low, high)
        if index == 6:
            size = max(1, low - 2)  # too small a committee
        rows = [
            CommitteeMember(
                org=union,
                name=chinese_name(rng, sex := rng.choice("MF")),
                position=Position.CHAIR,
                sex=sex,
                is_full_time=union.employee_count >= 200,
                term_start=union.term_start,
                term_end=union.term_end,
            )
        ]
        vice = 1 if size < 7 else 2
        for _ in range(vice):
            rows.append(
                CommitteeMember(
                    org=union,
                    name=chinese_name(rng, sex := rng.choice("MF")),
                    position=Position.VICE_CHAIR,
                    sex=sex,
                    term_start=union.term_start,
                    term_end=union.term_end,
                )
            )
        names = {r.name for r in rows}
        while len(rows) < size:
            name = chinese_name(rng, sex := rng.choice("MF"))
            if name not in names:
                names.add(name)
                rows.append(
                    CommitteeMember(
                        org=union,
                        name=name,
                        position=Position.MEMBER,
                        sex=sex,
                        term_start=union.term_start,
                        term_end=union.term_end,
                    )
                )
        rows.append(
            CommitteeMember(
                org=union,
                name=chinese_name(rng, sex := rng.choice("MF")),
                position=Position.FUNDS_AUDITOR,
                sex=sex,
                term_start=union.term_start,
                term_end=union.term_end,
            )
        )
        if union.member_count >= 50:
            rows.append(
                CommitteeMember(
                    org=union,
                    name=chinese_name(rng, "F"),
                    position=Position.WOMEN,
                    sex="F",
                    term_start=union.term_start,
                    term_end=union.term_end,
                )
            )
        # unique (org, name, position): drop accidental repeats across positions' generators
        seen, unique_rows = set(), []
        for r in rows:
            if (r.name, r.position) not in seen:
                seen.add((r.name, r.position))
                unique_rows.append(r)
        CommitteeMember.objects.bulk_create(unique_rows)
