"""Benchmark: the monthly dues run for 1M members (issue 3, target ≤ 60 s on the 2-core machine).

    python bench/dues_run.py            # 1,000,000 members on PostgreSQL (database gh_bench_dues)
    python bench/dues_run.py --quick    # 20,000 members, a smoke run
    python bench/dues_run.py --sqlite   # the same on SQLite (var/bench_dues_<N>.sqlite3)

Data: `manage.py seed_demo --members N` into the benchmark's own database (members spread over the
demo federation's 20 unions; the dues seed gives ~98% of them a wage base). The database is kept and
reused when it already holds N members. If seed_demo fails, the members are generated directly with
the members app's bulk generator.

Timed: `dues.services.dues_run` for every union of the federation for the current month (each one
INSERT … SELECT computing base and amount in exact integer fen; `--workers` unions at a time, 2 by
default for the 2 cores, each union in its own transaction), then the idempotent re-run of the
largest union, its payroll batch (all lines paid at once), its arrears list and ledger, and the
lapse-candidate lookup (6 months of dues of 20,000 members). Peak memory is the measuring process's
maximum RSS. Ends with one JSON line.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import member_count

ROOT = Path(__file__).resolve().parent.parent
PG_BASE = "postgres://postgres@127.0.0.1:5432"


def database_url(args) -> str:
    if args.database_url:
        return args.database_url
    if args.sqlite:
        return f"sqlite:///{ROOT / 'var' / f'bench_dues_{args.members}.sqlite3'}"
    suffix = "" if args.members == 1_000_000 else f"_{args.members}"
    return f"{PG_BASE}/gh_bench_dues{suffix}"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DJANGO_DEBUG"] = "0"  # no query log in memory
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---- preparation (its own process, so its memory does not count) -------------------------------------


def pg_recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(url: str, n: int) -> None:
    have = member_count(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    if have >= n:
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # newer migrations
        print(f"database ready: {have:,} members ({url})", flush=True)
        return
    print(f"building the benchmark database with {n:,} members ({url}) …", flush=True)
    if url.startswith("sqlite"):
        Path(url.split("sqlite:///", 1)[1]).unlink(missing_ok=True)
    else:
        pg_recreate(url)
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    t = time.perf_counter()
    seeded = subprocess.run(
        [*manage, "seed_demo", "--members", str(n)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if seeded.returncode == 0:
        print(f"seed_demo --members {n}: {time.perf_counter() - t:.1f}s", flush=True)
        return
    print("seed_demo failed; generating members directly:\n" + seeded.stderr[-1500:], flush=True)
    if url.startswith("sqlite"):
        Path(url.split("sqlite:///", 1)[1]).unlink(missing_ok=True)
    else:
        pg_recreate(url)
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_demo", "--only-core"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [sys.executable, __file__, "--generate", "--members", str(n), "--database-url", url],
        cwd=ROOT,
        env=env,
        check=True,
    )


def generate(url: str, n: int) -> None:
    """Fallback: members through the members app's bulk generator, then wage bases."""
    import random
    from datetime import date

    setup_django(url)
    from accounts.models import User
    from core.seed import SeedContext
    from dues.seed import wage_bases_bulk
    from members.seed import allocate, bulk_members
    from orgs.models import Organization, OrgKind

    fed = Organization.objects.get(kind=OrgKind.FEDERATION, parent=None)
    unions = list(Organization.objects.filter(kind=OrgKind.UNION).order_by("-employee_count", "pk"))
    ctx = SeedContext(
        rng=random.Random(20261125),
        today=date(2026, 11, 25),
        federation=fed,
        unions=unions,
        branches=[],
        users={u.username: u for u in User.objects.all()},
        members_n=n,
    )
    bulk_members(ctx, allocate(unions, n), with_events=False)
    wage_bases_bulk(month=date(2026, 1, 1), rng=ctx.rng)
    print("\n".join(ctx.log), flush=True)


# ---- measurement ----------------------------------------------------------------------------------------


def measure(url: str, workers: int) -> dict:
    setup_django(url)
    from datetime import date

    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from dues import rules, selectors, services
    from dues.models import DuesRun
    from members.models import Member
    from orgs.models import Organization, OrgKind

    month = rules.month_start(timezone.localdate())
    # Start from a clean month (not timed).
    with transaction.atomic(), connection.cursor() as cur:
        runs = list(DuesRun.objects.filter(month=month).values_list("pk", flat=True))
        if runs:
            ids = ", ".join(str(int(r)) for r in runs)
            m = connection.ops.adapt_datefield_value(month)
            cur.execute("DELETE FROM dues_duespayment WHERE month = %s", [m])
            cur.execute(f"DELETE FROM dues_payrollbatch WHERE run_id IN ({ids})")  # noqa: S608
            cur.execute(f"DELETE FROM dues_duesline WHERE run_id IN ({ids})")  # noqa: S608
            cur.execute(f"DELETE FROM dues_duesrun WHERE id IN ({ids})")  # noqa: S608
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    members = Member.objects.count()
    orgs = list(Organization.objects.filter(kind__in=[OrgKind.UNION, OrgKind.FEDERATION]).order_by("path"))
    print(
        f"{connection.vendor}: {members:,} members, {len(orgs)} unions/federation, month {month:%Y-%m}",
        flush=True,
    )

    from concurrent.futures import ThreadPoolExecutor

    from django.core.exceptions import ValidationError

    def one(org):
        try:
            t = time.perf_counter()
            try:
                run = services.dues_run(org=org, month=month, actor=None)
            except ValidationError:
                return None  # a branch without members of its own: no statement (refused, as in the UI)
            return org, run, run.charged_count + run.exempt_count + run.missing_count, time.perf_counter() - t
        finally:
            connection.close()  # each worker thread has its own connection

    # Largest unions first, so the workers finish together. Each union is its own transaction.
    sizes = dict(Member.objects.values("org__path").annotate(n=Count("pk")).values_list("org__path", "n"))
    orgs.sort(
        key=lambda o: (
            -sum(
                n
                for p, n in sizes.items()
                if p.startswith(o.path) and (o.kind == OrgKind.UNION or p == o.path)
            )
        )
    )
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        per_org = [r for r in pool.map(one, orgs) if r is not None]
    run_s = time.perf_counter() - t0
    lines = sum(p[2] for p in per_org)
    charged = sum(p[1].charged_count for p in per_org)
    missing = sum(p[1].missing_count for p in per_org)
    total = sum((p[1].total_amount for p in per_org), rules.fen(0))
    biggest = max(per_org, key=lambda p: p[2])
    print(
        f"dues run, all unions ({workers} at a time): {lines:,} lines in {run_s:.1f}s ({lines / run_s:,.0f} lines/s)"
    )
    print(f"  charged {charged:,}, missing wage base {missing:,}, total ¥{total:,}")
    print(f"  largest union: {biggest[0].name} {biggest[2]:,} lines in {biggest[3]:.1f}s")

    t = time.perf_counter()
    services.dues_run(org=biggest[0], month=month, actor=None)
    rerun_s = time.perf_counter() - t
    print(f"idempotent re-run of the largest union: {rerun_s:.1f}s")

    t = time.perf_counter()
    arrears = selectors.member_arrears(biggest[0], limit=100)
    arrears_s = time.perf_counter() - t
    t = time.perf_counter()
    batch = services.dues_batch_record(run=biggest[1], actor=None)
    batch_s = time.perf_counter() - t
    print(f"payroll batch of the largest union: {batch.line_count:,} payments in {batch_s:.1f}s")

    t = time.perf_counter()
    selectors.union_ledger(biggest[0])
    ledger_ms = (time.perf_counter() - t) * 1000
    ids = list(Member.objects.filter(org=biggest[0]).values_list("pk", flat=True)[:20000])
    t = time.perf_counter()
    first = date(month.year - (month.month <= 5), (month.month - 6) % 12 + 1, 1)  # six months to `month`
    selectors.lapse_dues(ids, first, month)
    lapse_s = time.perf_counter() - t
    print(
        f"arrears before the batch (first {len(arrears)} of the largest union): {arrears_s * 1000:.0f} ms; ledger: {ledger_ms:.0f} ms; "
        f"lapse-list dues of {len(ids):,} members: {lapse_s * 1000:.0f} ms"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the measuring process: {peak_mb:.0f} MB")
    return {
        "bench": "dues_run",
        "members": lines,
        "seconds": round(run_s, 2),
        "peak_mb": round(peak_mb),
        "db": connection.vendor,
        "lines_per_s": round(lines / run_s),
        "unions": len(orgs),
        "workers": workers,
        "charged": charged,
        "missing": missing,
        "total_yuan": str(total),
        "rerun_largest_s": round(rerun_s, 2),
        "batch_largest_s": round(batch_s, 2),
        "batch_payments": batch.line_count,
        "lapse_lookup_20k_ms": round(lapse_s * 1000),
        "target_s": 60,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="20,000 members")
    p.add_argument("--members", type=int, default=None)
    p.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    p.add_argument("--database-url", default="")
    p.add_argument(
        "--workers", type=int, default=None, help="unions run at the same time (default 2, SQLite 1)"
    )
    p.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.members is None:
        args.members = 20_000 if args.quick else 1_000_000
    url = database_url(args)
    if args.workers is None:
        args.workers = 1 if url.startswith("sqlite") else 2  # SQLite has one writer at a time
    if args.generate:
        generate(url, args.members)
        return 0
    if args.measure:
        result = measure(url, args.workers)
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    prepare(url, args.members)
    # Measure in a fresh process so that peak memory is the dues run's, not the data generator's.
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            "--members",
            str(args.members),
            "--database-url",
            url,
            "--workers",
            str(args.workers),
        ],
        cwd=ROOT,
        check=False,
    )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
