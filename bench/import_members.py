"""Benchmark: importing a member spreadsheet end to end (issue 3; targets: 100k rows ≤ 10 s on SQLite
and on PostgreSQL, ≥ 20× faster than django-import-export; 1M rows ≤ 2 min, peak ≤ 1.5 GB).

    python bench/import_members.py              # 100,000 rows: ours on SQLite and PostgreSQL, and DIE
    python bench/import_members.py --quick      # 10,000 rows, a smoke run
    python bench/import_members.py --million    # also 1,000,000 rows through ours (PostgreSQL)
    python bench/import_members.py --repeat 5   # runs of ours per database (median reported; default 3)

The spreadsheet is written from `members.seed.generate_people` (the generator behind
`seed_demo --members N`): realistic people with valid GB 11643 ID numbers, phones, Chinese names,
in the import template's columns. It is kept in var/ and reused.

Ours (timed): read the file (python-calamine; a slice of rows at a time when the sheet's XML is over
256 MB, as for 1M rows), check every row (ID number check digit, birth date and age, mobile,
full-width normalization, pinyin, duplicates in the file, look-up of existing members by the ID
number's blind index), encrypt ID number and phone (core.crypto: AES-256-GCM), and write members
plus one timeline event each (COPY on PostgreSQL, executemany on SQLite), all in one transaction: exactly
`members.importing.apply_file`, what the background import task runs. The registry starts empty, as
for a union's first import: on SQLite the tables' indexes are then built after the rows
(`importing._DeferredIndexes`), inside the timed transaction.

django-import-export 4.x (timed, SQLite): the same file through a ModelResource with its fastest
documented settings (use_bulk, skip_diff, force_init_instance, batch_size=1000, no instance
validation) running the same row checks (members.rules.clean_member, duplicates in the file) and
the same encryption in before_import_row (so it gains from every speed-up of those two as well).
It writes no timeline events (in its favour).

Half of ours on SQLite run before django-import-export and half after (a shared machine's speed
drifts over minutes), and a fixed pure-Python loop is timed before, between and after
(`machine_gauge_s`) to tell a slower moment from a slower program. Each run happens in its own process on a freshly emptied database; peak memory is that process's
maximum RSS plus its largest child's (ours checks large files in a forked second process). Ends
with one JSON line.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PG_URL = "postgres://postgres@127.0.0.1:5432/gh_bench_import"
START_SEQ = 5_000_000  # people distinct from seed_demo's own


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DJANGO_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def peak_mb() -> float:
    """This process's peak RSS plus that of the largest child it waited for (the import's checking
    process, when it forks one): an upper bound of the memory the import held at once."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


# ---- the spreadsheet ---------------------------------------------------------------------------------


def make_file(rows: int) -> Path:
    path = VAR / f"bench_members_{rows}.xlsx"
    if path.exists():
        return path
    setup_django(f"sqlite:///{VAR / 'bench_import_gen.sqlite3'}")
    import random
    from datetime import date

    import xlsxwriter

    from members import importing
    from members.seed import generate_people, people_as_sheet_rows

    t = time.perf_counter()
    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    ws = wb.add_worksheet("会员")
    ws.write_row(0, 0, [importing.FIELD_LABELS[f] for f in importing.TEMPLATE_FIELDS])
    people = generate_people(random.Random(42), rows, date.today(), start_seq=START_SEQ)  # noqa: S311, DTZ011
    employers = ["杭州星河电子科技有限公司", "东湖精密机械有限公司", "城东物流集团有限公司"]
    for r, row in enumerate(people_as_sheet_rows(people), start=1):
        row[7] = employers[r % 3]
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    wb.close()
    tmp.rename(path)
    print(f"wrote {path.name}: {rows} rows in {time.perf_counter() - t:.1f}s", flush=True)
    return path


# ---- workers (one process each) --------------------------------------------------------------------------


def prepare_database(url: str) -> None:
    """A migrated database with an empty member registry and one federation + union."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # a no-op when the schema is current
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("TRUNCATE members_memberevent, members_member RESTART IDENTITY CASCADE")
        else:
            for t in (
                "members_memberevent",
                "members_transfer",
                "members_correctionrequest",
                "members_member",
            ):
                cur.execute(f"DELETE FROM {t}")  # noqa: S608
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("VACUUM")


def bench_org():
    from core.testing.world import make_org, make_user
    from orgs.models import Organization, OrgKind

    union = Organization.objects.filter(name="基准测试工会").first()
    if union is None:
        fed = make_org(OrgKind.FEDERATION, "基准测试总工会")
        union = make_org(OrgKind.UNION, "基准测试工会", fed, employee_count=2_000_000)
    from accounts.models import User

    user = User.objects.filter(username="bench_staff").first() or make_user("bench_staff")
    return union, user


def worker_ours(url: str, path: str) -> dict:
    setup_django(url)
    prepare_database(url)
    from django.db import transaction

    from members import importing, services

    union, user = bench_org()
    data = Path(path).read_bytes()
    t = time.perf_counter()
    with transaction.atomic():
        org = services._lock_org(union.pk)
        counts = importing.apply_file(
            data,
            Path(path).name,
            org=org,
            actor=user,
            today=services.today(),
            numbers_for=lambda k: services.next_member_numbers(org, k),
        )
        services.member_count_refresh(org.pk)
    seconds = time.perf_counter() - t
    from members.models import Member

    assert Member.objects.count() == counts["new"], counts
    return {"seconds": seconds, "peak_mb": peak_mb(), "new": counts["new"]}


def worker_die(url: str, path: str) -> dict:
    setup_django(url)
    prepare_database(url)
    import tablib
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from import_export import fields, resources

    from core import crypto
    from core.validators import mask_id_number, mask_mobile
    from members import rules, services
    from members.models import Member, MemberStatus

    union, user = bench_org()
    today = services.today()
    now = timezone.now()
    header_map = {
        "姓名": "name",
        "身份证号": "id_number",
        "手机号": "phone",
        "性别": "sex",
        "民族": "ethnicity",
        "学历": "education",
        "政治面貌": "political_status",
        "工作单位": "employer",
        "部门": "department",
        "岗位": "post",
        "入会日期": "joined_on",
        "是否农民工": "is_migrant",
        "户籍所在地": "household_registration",
    }
    model_fields = [
        "org",
        "name",
        "name_pinyin",
        "name_initials",
        "name_sort",
        "id_number_enc",
        "id_number_hash",
        "id_number_masked",
        "id_last4",
        "birth_date",
        "sex",
        "ethnicity",
        "education",
        "political_status",
        "phone_enc",
        "phone_hash",
        "phone_masked",
        "phone_last4",
        "employer",
        "department",
        "post",
        "joined_on",
        "member_no",
        "card_no",
        "is_migrant",
        "household_registration",
        "status",
    ]

    class MemberResource(resources.ModelResource):
        org = fields.Field(attribute="org_id", column_name="org_id")

        class Meta:
            model = Member
            fields = tuple(model_fields)
            use_bulk = True
            skip_diff = True
            force_init_instance = True
            batch_size = 1000
            skip_unchanged = False
            clean_model_instances = False

        def __init__(self):
            super().__init__()
            self.seen = set()
            self.seq = 0

        def before_import_row(self, row, **kwargs):
            raw = {header_map[k]: v for k, v in row.items() if k in header_map}
            raw.pop("member_no", None)
            cleaned, errors = rules.clean_member(raw, today=today)
            if not errors and cleaned["id_number"] in self.seen:
                errors["id_number"] = "与前面的行身份证号重复。"
            if errors:
                raise ValidationError(errors)
            self.seen.add(cleaned["id_number"])
            idn, phone = cleaned["id_number"], cleaned["phone"]
            self.seq += 1
            no = f"{union.pk:06d}{self.seq:07d}"
            row.update(
                org_id=union.pk,
                name=cleaned["name"],
                name_pinyin=cleaned["name_pinyin"],
                name_initials=cleaned["name_initials"],
                name_sort=cleaned["name_sort"],
                id_number_enc=crypto.encrypt(idn),
                id_number_hash=crypto.blind_index(idn, "member.id_number"),
                id_number_masked=mask_id_number(idn),
                id_last4=idn[-4:],
                birth_date=cleaned["birth_date"],
                sex=cleaned["sex"],
                ethnicity=cleaned.get("ethnicity", ""),
                education=cleaned.get("education", ""),
                political_status=cleaned.get("political_status", ""),
                phone_enc=crypto.encrypt(phone) if phone else "",
                phone_hash=crypto.blind_index(phone, "member.phone") if phone else "",
                phone_masked=mask_mobile(phone) if phone else "",
                phone_last4=phone[-4:],
                employer=cleaned.get("employer", ""),
                department=cleaned.get("department", ""),
                post=cleaned.get("post", ""),
                joined_on=cleaned.get("joined_on") or today,
                member_no=no,
                card_no=f"{today.year}{no}",
                is_migrant=cleaned.get("is_migrant", False),
                household_registration=cleaned.get("household_registration", ""),
                status=MemberStatus.ACTIVE,
            )

        def before_save_instance(self, instance, row, **kwargs):
            instance.created_at = instance.updated_at = now

    t = time.perf_counter()
    with open(path, "rb") as fh:
        dataset = tablib.Dataset().load(fh, format="xlsx")
    result = MemberResource().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    seconds = time.perf_counter() - t
    assert not result.has_errors()
    assert not result.has_validation_errors()
    n = Member.objects.count()
    assert n == len(dataset), (n, len(dataset))
    return {"seconds": seconds, "peak_mb": peak_mb(), "new": n}


def run_worker(kind: str, url: str, path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--url", url, "--file", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"{kind} worker failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def pg_available() -> bool:
    try:
        import psycopg

        name = PG_URL.rsplit("/", 1)[1]
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception as e:  # noqa: BLE001
        print(f"PostgreSQL not available: {e}")
        return False


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true")
    p.add_argument("--rows", type=int, default=None)
    p.add_argument("--million", action="store_true", help="also 1M rows through ours on PostgreSQL")
    p.add_argument("--skip-die", action="store_true")
    p.add_argument(
        "--repeat", type=int, default=3, help="runs of ours per database; the median is reported (default 3)"
    )
    p.add_argument("--worker", choices=["ours", "die"])
    p.add_argument("--url")
    p.add_argument("--file")
    args = p.parse_args()
    if args.worker:
        fn = worker_ours if args.worker == "ours" else worker_die
        print(json.dumps(fn(args.url, args.file)))
        return 0

    rows = args.rows or (10_000 if args.quick else 100_000)
    VAR.mkdir(exist_ok=True)
    path = make_file(rows)
    sqlite_url = f"sqlite:///{VAR / 'bench_import.sqlite3'}"
    out: dict = {"bench": "import_members", "rows": rows}

    def report(label: str, runs: list[dict]) -> tuple[float, float]:
        """Median seconds of the runs (this machine's runs of the same work differ by up to a third)
        and the largest peak."""
        secs = sorted(r["seconds"] for r in runs)
        median = statistics.median(secs)
        peak = max(r["peak_mb"] for r in runs)
        print(
            f"ours, {label + ':':12s}{median:7.2f} s  {rows / median:9,.0f} rows/s  peak {peak:.0f} MB"
            f"  (runs: {', '.join(f'{s:.2f}' for s in secs)})",
            flush=True,
        )
        out[f"{label.lower()}_runs"] = [round(x, 2) for x in secs]
        return median, peak

    # On a shared machine the speed drifts over minutes, and django-import-export's run takes one or
    # two: half of ours on SQLite run before it and half after, so that the ratio compares like with like.
    repeat = max(1, args.repeat)
    from common import machine_gauge

    gauges = [machine_gauge()]
    sqlite_runs = [run_worker("ours", sqlite_url, path) for _ in range((repeat + 1) // 2)]
    die = None
    if not args.skip_die:
        die = run_worker("die", f"sqlite:///{VAR / 'bench_import_die.sqlite3'}", path)
        print(
            f"django-import-export, SQLite: {die['seconds']:7.2f} s  {rows / die['seconds']:9,.0f} rows/s"
            f"  peak {die['peak_mb']:.0f} MB",
            flush=True,
        )
    sqlite_runs += [run_worker("ours", sqlite_url, path) for _ in range(repeat // 2)]
    gauges.append(machine_gauge())
    seconds, peak = report("SQLite", sqlite_runs)
    out["sqlite_s"] = round(seconds, 2)
    peaks = [peak]
    if pg_available():
        seconds, peak = report("PostgreSQL", [run_worker("ours", PG_URL, path) for _ in range(repeat)])
        out["postgres_s"] = round(seconds, 2)
        peaks.append(peak)
    else:
        out["postgres_s"] = None
    out["peak_mb"] = round(max(peaks))
    out["rows_per_s"] = round(rows / out["sqlite_s"])
    gauges.append(machine_gauge())
    out["machine_gauge_s"] = gauges
    print(
        f"machine gauge (a fixed pure-Python loop; lower is faster): {', '.join(f'{g:.3f} s' for g in gauges)}"
    )
    if die is not None:
        out["die_s"] = round(die["seconds"], 2)
        out["die_peak_mb"] = round(die["peak_mb"])
        out["ratio"] = round(die["seconds"] / out["sqlite_s"], 1)
        print(f"ratio (DIE / ours, SQLite): {out['ratio']}×")
    else:
        out["die_s"] = out["ratio"] = None
    if args.million:
        big = make_file(1_000_000)
        r = run_worker("ours", PG_URL, big)
        out["million_postgres_s"] = round(r["seconds"], 1)
        out["million_peak_mb"] = round(r["peak_mb"])
        print(f"ours, 1M rows, PostgreSQL: {r['seconds']:7.1f} s  peak {r['peak_mb']:.0f} MB", flush=True)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
