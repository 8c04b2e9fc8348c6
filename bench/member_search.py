"""Benchmark: the member search box at 1M members (issue 3; target p95 ≤ 50 ms on the 2-core machine).

    python bench/member_search.py            # 1,000,000 members on PostgreSQL (database gh_bench_members)
    python bench/member_search.py --quick    # 20,000 members, a smoke run
    python bench/member_search.py --sqlite   # the same on SQLite (var/bench_members_<N>.sqlite3)

Data: `manage.py seed_demo --members N` into the benchmark's own database (kept and reused when it
already holds at least N members).

Timed: exactly what the registry list page runs for a search: `members.selectors.member_filter`
(scope to the user's subtrees, search, default status filter, sort by pinyin) and the first page of
21 rows with the union's name — as the federation admin (whole federation) and as one union's
staff. Terms: pinyin initials (zs), full pinyin, a Chinese name and a surname, last four digits of a
phone or ID number, a member-number prefix, a whole phone number and a whole ID number (blind index),
each drawn from real members. Ends with one JSON line.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import member_count

ROOT = Path(__file__).resolve().parent.parent
PG_BASE = "postgres://postgres@127.0.0.1:5432"


def database_url(args) -> str:
    if args.sqlite:
        return f"sqlite:///{ROOT / 'var' / f'bench_members_{args.members}.sqlite3'}"
    suffix = "" if args.members == 1_000_000 else f"_{args.members}"
    return f"{PG_BASE}/gh_bench_members{suffix}"


def prepare(url: str, n: int) -> None:
    have = member_count(url)
    if have >= n:
        print(f"using {have:,} members in {url.rsplit('/', 1)[1]}", flush=True)
        return
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    if url.startswith("sqlite"):
        Path(url.split("sqlite:///", 1)[1]).unlink(missing_ok=True)
    else:
        import psycopg

        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    t = time.perf_counter()
    subprocess.run([py, "manage.py", "seed_demo", "--members", str(n)], cwd=ROOT, env=env, check=True)
    print(f"seed_demo --members {n}: {time.perf_counter() - t:.1f}s", flush=True)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--sqlite", action="store_true")
    p.add_argument("--members", type=int, default=None)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    args.members = args.members or (20_000 if args.quick else 1_000_000)
    url = database_url(args)
    prepare(url, args.members)

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DJANGO_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from accounts.models import Role, RoleAssignment, User
    from core import crypto
    from members import selectors
    from members.models import Member
    from orgs.models import Organization, OrgKind

    fed_admin = User.objects.get(username="fed_admin")
    staff_role = (
        RoleAssignment.objects.filter(role=Role.UNION_STAFF, org__kind=OrgKind.UNION)
        .select_related("user", "org")
        .first()
    )
    users = [("federation", fed_admin)] + ([("union", staff_role.user)] if staff_role else [])

    rng = random.Random(11)  # noqa: S311
    total = Member.objects.count()
    sample_ids = [rng.randrange(1, total) for _ in range(40)]
    sample = list(
        Member.objects.filter(pk__in=sample_ids).values(
            "id",
            "org_id",
            "name",
            "name_pinyin",
            "name_initials",
            "id_last4",
            "phone_last4",
            "member_no",
            "id_number_enc",
            "phone_enc",
        )
    )
    if staff_role:
        sample += list(
            Member.objects.filter(org=staff_role.org)
            .order_by("?")[:10]
            .values(
                "id",
                "org_id",
                "name",
                "name_pinyin",
                "name_initials",
                "id_last4",
                "phone_last4",
                "member_no",
                "id_number_enc",
                "phone_enc",
            )
        )
    terms: list[tuple[str, str]] = []
    for m in sample:
        terms += [
            ("initials", m["name_initials"][:2]),
            ("pinyin", m["name_pinyin"]),
            ("name", m["name"]),
            ("surname", m["name"][0]),
            ("last4", rng.choice([m["id_last4"], m["phone_last4"]])),
            ("member_no", m["member_no"][:10]),
            ("phone", crypto.decrypt(m["phone_enc"])),
            ("id_number", crypto.decrypt(m["id_number_enc"])),
        ]
    terms.append(("initials", "zs"))

    def run(user, q: str) -> float:
        f = selectors.MemberFilters(q=q)
        t = time.perf_counter()
        rows = list(selectors.member_list_rows(selectors.member_filter(user, f))[:21])
        dt = time.perf_counter() - t
        assert rows is not None
        return dt * 1000

    # Warm up (plans, caches), then time.
    for _kind, q in terms[:20]:
        run(fed_admin, q)
    times: list[float] = []
    by_kind: dict[str, list[float]] = {}
    for _r in range(args.rounds):
        for label, user in users:
            for kind, q in terms:
                ms = run(user, q)
                times.append(ms)
                by_kind.setdefault(f"{label}:{kind}", []).append(ms)
    times.sort()

    def pct(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

    print(f"{connection.vendor}, {total:,} members, {len(times)} searches (p50 / p95 / max, ms):")
    for key in sorted(by_kind):
        v = by_kind[key]
        print(f"  {key:<22} {pct(v, 50):7.1f} {pct(v, 95):7.1f} {max(v):7.1f}")
    p50, p95 = pct(times, 50), pct(times, 95)
    print(f"all: p50 {p50:.1f} ms, p95 {p95:.1f} ms, mean {statistics.mean(times):.1f} ms")
    # Not a search, so apart from the figures above: the list's first page with nothing typed,
    # sorted by name (the name's sort key and its index).
    browse = sorted(run(user, "") for _r in range(20) for _label, user in users)
    print(f"list by name, no search: p50 {pct(browse, 50):.1f} ms, p95 {pct(browse, 95):.1f} ms")
    out = {
        "bench": "member_search",
        "members": total,
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "searches": len(times),
        "browse_p95_ms": round(pct(browse, 95), 1),
        "db": connection.vendor,
        "unions": Organization.objects.filter(kind=OrgKind.UNION).count(),
    }
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
