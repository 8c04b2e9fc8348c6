"""Demo members: a realistic registry for the demo unions, and with `seed_demo --members N` a large
one for the benchmarks (1M in under two minutes: precomputed pieces, COPY/executemany).

`generate_people(rng, n, today)` is the reusable generator: plain dicts with the template's
fields (valid GB 11643 ID numbers, mobile numbers, Chinese names); bench/import_members.py writes
its spreadsheets from it."""

import random
import time
from collections.abc import Iterator
from datetime import date, timedelta

from core.db import ForeignKeysCheckedOnce
from core.seed import GIVEN_F, GIVEN_M, SURNAMES, SeedContext, workers
from core.validators import id_check_char

from . import importing, rules
from .models import Education, Member, MemberEvent, MemberStatus, PoliticalStatus

REGIONS = [
    "330106",
    "330105",
    "330102",
    "330108",
    "330110",
    "330182",
    "330481",
    "341202",
    "410102",
    "420102",
    "430104",
    "510104",
    "500103",
    "360102",
    "450102",
    "522601",
    "371102",
    "130102",
    "320106",
    "110105",
]
HOUSEHOLDS = {
    "330106": "浙江省杭州市西湖区",
    "330105": "浙江省杭州市拱墅区",
    "330102": "浙江省杭州市上城区",
    "330108": "浙江省杭州市滨江区",
    "330110": "浙江省杭州市余杭区",
    "330182": "浙江省建德市",
    "330481": "浙江省海宁市",
    "341202": "安徽省阜阳市颍州区",
    "410102": "河南省郑州市中原区",
    "420102": "湖北省武汉市江岸区",
    "430104": "湖南省长沙市岳麓区",
    "510104": "四川省成都市锦江区",
    "500103": "重庆市渝中区",
    "360102": "江西省南昌市东湖区",
    "450102": "广西壮族自治区南宁市兴宁区",
    "522601": "贵州省凯里市",
    "371102": "山东省日照市东港区",
    "130102": "河北省石家庄市长安区",
    "320106": "江苏省南京市鼓楼区",
    "110105": "北京市朝阳区",
}
LOCAL = {"330106", "330105", "330102", "330108", "330110", "330182", "330481"}
ETHNICITIES = ["汉族"] * 46 + ["回族", "壮族", "苗族", "土家族"]
EDUCATIONS = (
    [Education.JUNIOR] * 20
    + [Education.SENIOR] * 30
    + [Education.COLLEGE] * 22
    + [Education.BACHELOR] * 22
    + [Education.MASTER] * 5
    + [Education.PRIMARY]
)
POLITICAL = (
    [PoliticalStatus.MASSES] * 70
    + [PoliticalStatus.CPC] * 14
    + [PoliticalStatus.CYL] * 14
    + [PoliticalStatus.DEMOCRATIC] * 2
)
DEPARTMENTS = [
    "一车间",
    "二车间",
    "三车间",
    "质检部",
    "仓储物流部",
    "行政部",
    "财务部",
    "销售部",
    "研发中心",
    "后勤保障部",
]
POSTS = [
    "操作工",
    "装配工",
    "质检员",
    "叉车司机",
    "仓管员",
    "技术员",
    "工程师",
    "销售代表",
    "文员",
    "班组长",
    "保洁员",
    "厨师",
]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "185",
    "186",
    "187",
    "188",
    "189",
    "195",
    "199",
]


def id_number(region: str, birth: date, seq: int, male: bool) -> str:
    """A valid 18-character resident ID number (GB 11643 check character)."""
    s3 = seq % 500 * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{s3:03d}"
    return body + id_check_char(body)


def generate_people(
    rng: random.Random, n: int, today: date, *, start_seq: int = 0, chunk: int = 20000
) -> Iterator[dict]:
    """`n` realistic people as template-field dicts (plaintext). Deterministic for a given rng.
    ID numbers never repeat for distinct sequence numbers: (birth day, 3-digit sequence) is a
    bijection of the sequence number (7919 is prime to the span of birth days; up to 8M people). Built a chunk at a
    time with random.choices (C loops) so a million people take seconds."""
    span = 44 * 365  # ages 18 to 62
    oldest = today - timedelta(days=62 * 365)
    youth_league_born_after = today - timedelta(days=28 * 365)
    days = [oldest + timedelta(days=d) for d in range(span)]
    day_str = [f"{d:%Y%m%d}" for d in days]
    surnames, given_m, given_f = list(SURNAMES), list(GIVEN_M), list(GIVEN_F)
    choices = rng.choices
    for base in range(start_seq, start_seq + n, chunk):
        k = min(chunk, start_seq + n - base)
        sur = choices(surnames, k=k)
        g1m, g2m = choices(given_m, k=k), choices(given_m, k=k)
        g1f, g2f = choices(given_f, k=k), choices(given_f, k=k)
        two = [r < 0.6 for r in choices((0.0, 0.2, 0.4, 0.6, 0.8), k=k)]
        male = [r < 0.56 for r in (rng.random() for _ in range(k))]
        regions = choices(REGIONS, k=k)
        prefixes = choices(MOBILE_PREFIXES, k=k)
        tails = [rng.randrange(100_000_000) for _ in range(k)]
        eth = choices(ETHNICITIES, k=k)
        edu = choices(EDUCATIONS, k=k)
        pol = choices(POLITICAL, k=k)
        dep = choices(DEPARTMENTS, k=k)
        post = choices(POSTS, k=k)
        joined_back = [rng.randrange(1, 12 * 365) for _ in range(k)]
        migr = [r < 0.7 for r in (rng.random() for _ in range(k))]
        for j in range(k):
            i = base + j
            # i -> (birth day, sequence) is a bijection: 7919 is prime to the span, so consecutive
            # people get birth days spread over every age, and the sequence separates blocks of span.
            di = (i * 7919 + 1234) % span
            birth = days[di]
            region = regions[j]
            body = f"{region}{day_str[di]}{i // span * 2 + (1 if male[j] else 0):03d}"
            g1, g2 = (g1m[j], g2m[j]) if male[j] else (g1f[j], g2f[j])
            given = g1 + g2 if two[j] else g1
            political = pol[j]
            if political == PoliticalStatus.CYL and birth < youth_league_born_after:
                political = PoliticalStatus.MASSES  # the Youth League's members are 14 to 28
            joined = today - timedelta(days=joined_back[j])
            if joined < birth + timedelta(days=16 * 365):
                joined = today - timedelta(days=joined_back[j] % 365 + 1)
            yield {
                "name": sur[j] + given,
                "id_number": body + id_check_char(body),
                "phone": f"{prefixes[j]}{tails[j]:08d}",
                "ethnicity": eth[j],
                "education": edu[j],
                "political_status": political,
                "department": dep[j],
                "post": post[j],
                "joined_on": joined,
                "is_migrant": region not in LOCAL and migr[j],
                "household_registration": HOUSEHOLDS[region],
                "birth_date": birth,
                "sex": "M" if male[j] else "F",
            }


EDU_LABELS = dict(Education.choices)
POL_LABELS = dict(PoliticalStatus.choices)


def people_as_sheet_rows(people) -> Iterator[list]:
    """Template-ordered rows (texts as a clerk would type them) for spreadsheets."""
    for p in people:
        yield [
            p["name"],
            p["id_number"],
            p["phone"],
            "男" if p["sex"] == "M" else "女",
            p["ethnicity"],
            str(EDU_LABELS[p["education"]]),
            str(POL_LABELS[p["political_status"]]),
            p.get("employer", ""),
            p["department"],
            p["post"],
            p["joined_on"].isoformat(),
            "",
            "是" if p["is_migrant"] else "否",
            p["household_registration"],
        ]


def _cleaned(p: dict) -> dict:
    c = dict(p)
    c["name_pinyin"], c["name_initials"], c["name_sort"] = rules.name_pinyin(p["name"])
    return c


def allocate(unions, n: int) -> list[int]:
    """Split n members over the unions in proportion to their employees (largest remainder)."""
    weights = [max(u.employee_count, 10) for u in unions]
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(unions)), key=lambda i: exact[i] - counts[i], reverse=True)[: n - sum(counts)]:
        counts[i] += 1
    return counts


class _indexes_deferred:
    """PostgreSQL, large load into a small table: drop the table's plain and partial indexes (not the
    primary key or table constraints), write, then rebuild them from their saved definitions (one
    sorted build each instead of a million random inserts). Same transaction: all or nothing."""

    def __init__(self, n: int, model=Member):
        self.n = n
        self.model = model
        self.defs: list[tuple[str, str]] = []

    def __enter__(self):
        from django.db import connection

        if connection.vendor != "postgresql" or self.n < 200_000 or self.model.objects.count() > self.n // 4:
            return self
        with connection.cursor() as cur:
            cur.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.schemaname = "
                "current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [self.model._meta.db_table],
            )
            self.defs = cur.fetchall()
            for name, _d in self.defs:
                cur.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return self

    def __exit__(self, exc_type, exc, tb):
        from django.db import connection

        if exc_type is None and self.defs:
            with connection.cursor() as cur:
                # The deferred foreign-key checks of the COPY must run before an index can be built.
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cur.execute("SET CONSTRAINTS ALL DEFERRED")
                cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for _name, definition in self.defs:
                    cur.execute(definition)
        return False


def _holders(union, branches) -> tuple[list[int], list[int]]:
    """Where a union's generated members are registered: on its branches by their employee counts,
    the rest on the union itself (as a large union's registry is kept)."""
    own = [b for b in branches if b.parent_id == union.pk]
    rest = max(union.employee_count - sum(b.employee_count for b in own), 0)
    if not own or not any(b.employee_count for b in own):
        return [union.pk], [1]
    return [union.pk, *[b.pk for b in own]], [rest, *[b.employee_count for b in own]]


def bulk_members(ctx: SeedContext, counts: list[int], *, with_events: bool = True) -> int:
    """Write generated active members: counts[i] for ctx.unions[i]. COPY on PostgreSQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    from .services import member_count_refresh, next_member_numbers

    unions = list(ctx.unions)
    rng = random.Random(ctx.rng.random())  # noqa: S311 - demo data
    now = timezone.now()
    start = 1_000 + Member.objects.count()
    n = sum(counts)
    t0 = time.perf_counter()
    with transaction.atomic(), ForeignKeysCheckedOnce(Member, MemberEvent):
        before = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        used = {u.pk: int(next_member_numbers(u, 1)[0][0][6:]) - 1 for u in unions}

        def rows():
            people = generate_people(rng, n, ctx.today, start_seq=start)
            for u, k in zip(unions, counts, strict=True):
                employer = u.unit_name or u.name
                holders, weights = _holders(u, ctx.branches)
                for _i in range(k):
                    p = next(people)
                    used[u.pk] += 1
                    no = f"{u.pk:06d}{used[u.pk]:07d}"
                    p["name_pinyin"], p["name_initials"], p["name_sort"] = rules.name_pinyin(p["name"])
                    p["employer"] = employer
                    holder = holders[0] if len(holders) == 1 else rng.choices(holders, weights)[0]
                    yield importing.member_tuple(
                        p,
                        org_id=holder,
                        member_no=no,
                        card_no=f"{(p['joined_on'] or ctx.today).year}{no}",  # issued on joining
                        status=MemberStatus.ACTIVE,
                        now=now,
                        joined_default=None,
                    )

        with _indexes_deferred(n):
            written = importing.bulk_insert(
                Member._meta.db_table, importing.MEMBER_COLUMNS, rows(), chunk=10000
            )
        if with_events:
            qn = connection.ops.quote_name
            with _indexes_deferred(n, MemberEvent), connection.cursor() as cur:
                cur.execute(
                    f"INSERT INTO {qn('members_memberevent')} (member_id, org_id, kind, from_status, to_status, "  # noqa: S608
                    f"{qn('on')}, reason, created_at) SELECT id, org_id, %s, '', %s, joined_on, %s, %s "
                    f"FROM {qn('members_member')} WHERE id > %s",
                    ["imported", MemberStatus.ACTIVE, "演示数据导入", now, before],
                )
        member_count_refresh(*[u.pk for u in unions], *[b.pk for b in ctx.branches])
    importing.analyze_tables()
    ctx.log.append(f"members: {written} generated members in {time.perf_counter() - t0:.1f}s")
    return written


DEMO_PEOPLE = [
    # (name, sex, union index, status, migrant) - the first one is the member login's own record
    ("吴浩然", "M", 0, MemberStatus.ACTIVE, False),
    ("张三", "M", 0, MemberStatus.ACTIVE, False),
    ("李四", "M", 0, MemberStatus.ACTIVE, True),
    ("王芳", "F", 0, MemberStatus.RETAINED, False),
    ("赵敏", "F", 1, MemberStatus.ACTIVE, False),
    ("陈静", "F", 1, MemberStatus.APPLIED, True),
    ("刘强", "M", 2, MemberStatus.ACTIVE, True),
    # two who withdrew years ago: their personal data is due for deletion (members:erasure)
    ("钱国强", "M", 0, MemberStatus.WITHDRAWN, False),
    ("孙玉兰", "F", 0, MemberStatus.WITHDRAWN, False),
]


DEMO_WORKER_UNIONS = (0, 2)  # the unions whose demo boards have worker readers (affairs.seed)
DEMO_WORKERS = 8


def seed(ctx: SeedContext) -> None:
    """Demo registry: a few named members with a history, ~40 members per union, then N more."""
    from . import services

    if not ctx.unions:
        return
    rng = ctx.rng
    actor = ctx.users.get("staff_1") or ctx.users.get("chair_1") or ctx.users.get("fed_admin")
    people = generate_people(random.Random(rng.random()), 10_000, ctx.today)  # noqa: S311
    member_user = ctx.users.get("member_1")
    joined = ctx.today - timedelta(days=400)
    for name, sex, ui, status, migrant in DEMO_PEOPLE:
        since = joined if status != MemberStatus.WITHDRAWN else ctx.today - timedelta(days=9 * 365)
        # An ID number that fits the name, of someone at least 20 when they joined.
        adult = since - timedelta(days=20 * 366)
        p = next(q for q in people if q["sex"] == sex and q["birth_date"] <= adult)
        union = ctx.unions[ui % len(ctx.unions)]
        data = {
            **p,
            "name": name,
            "is_migrant": migrant,
            "employer": union.unit_name or union.name,
            "education": str(EDU_LABELS[p["education"]]),
            "political_status": str(POL_LABELS[p["political_status"]]),
        }
        if status == MemberStatus.APPLIED:
            services.member_apply(org=union, data=data, consent=True)
            continue
        data["consent"] = True
        data["joined_on"] = since  # the day its timeline says it was approved
        m = services.member_create(org=union, data=data, actor=actor, on=since)
        if name == "吴浩然" and member_user is not None:
            Member.objects.filter(pk=m.pk).update(user=member_user)
        if status == MemberStatus.RETAINED:
            services.member_retain(member=m, actor=actor, reason="退休", on=ctx.today - timedelta(days=30))
        elif status == MemberStatus.WITHDRAWN:
            left = ctx.today - timedelta(days=4 * 365 + 60)
            services.member_withdraw(member=m, actor=actor, reason="调离本单位，本人申请退会", on=left)
    # The demo worker accounts (core.seed.workers; readers of the open-affairs boards, proposers)
    # each have their member record, so that 我的会员卡 works for them as for member_1.
    for ui in DEMO_WORKER_UNIONS:
        if ui >= len(ctx.unions):
            continue
        union = ctx.unions[ui]
        for user in workers(ctx, ui, DEMO_WORKERS):
            p = next(people)
            user.full_name = p["name"]  # a name that fits the sex in the ID number
            user.save(update_fields=["full_name"])
            data = {
                **p,
                "employer": union.unit_name or union.name,
                "education": str(EDU_LABELS[p["education"]]),
                "political_status": str(POL_LABELS[p["political_status"]]),
                "consent": True,
                "joined_on": joined,
            }
            m = services.member_create(org=union, data=data, actor=actor, on=joined)
            Member.objects.filter(pk=m.pk).update(user=user)
    # A transfer with history in both unions.
    if len(ctx.unions) > 1:
        li = Member.objects.get(name="李四", org=ctx.unions[0])
        t = services.transfer_request(
            member=li,
            to_org=ctx.unions[1],
            actor=actor,
            reason="调换工作单位",
            new_employer=ctx.unions[1].unit_name,
        )
        other = ctx.users.get("chair_2") or ctx.users.get("fed_admin") or actor
        services.transfer_accept(transfer=t, actor=other)
    # Bulk: each demo union's registry up to its recorded member count, or N for the benchmarks.
    if ctx.members_n > 0:
        counts = allocate(ctx.unions, ctx.members_n)
    else:
        have = {u.pk: Member.objects.filter(org=u).count() for u in ctx.unions}
        counts = [max(u.member_count - have[u.pk], 0) for u in ctx.unions]
    bulk_members(ctx, counts)
