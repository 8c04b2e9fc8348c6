"""Workers' congress voting under a burst: N delegates, each casting one secret ballot at once.

    python bench/vote_burst.py            # N = 1000 delegates
    python bench/vote_burst.py --quick    # N = 200
    python bench/vote_burst.py --n 500 --concurrency 64

Set-up as in production: granian (WSGI, 2 workers) serving config.wsgi with DEBUG off, on a fresh
PostgreSQL database of its own (gh_bench_vote at 127.0.0.1:5432, dropped and re-created). The
delegates check in over HTTP with their card tokens (each phone gets its own session cookie), the
secretariat opens a secret motion, and a separate client process sends every delegate's ballot at
once from a thread pool (stdlib http.client, one keep-alive connection per thread) to the JSON API,
authenticated by the signed credential the check-in answered with (`--auth session`: by the login
session cookie + CSRF token instead, which loads and saves a session row per request).

Printed: ballots/s, p50/p95 latency, ballots stored vs sent, tally vs votes sent; the same load
against /healthz on the same server as the ceiling, and the ratio. Burst and ceiling run `--repeat`
times (default 3, a fresh motion per burst) and the medians are reported: one burst lasts about two
seconds, so a single run on a shared 2-core machine swings by a third either way. Then a fault run on a second
motion: one granian worker is killed (SIGKILL) in the middle of the burst, clients retry like a
phone would (reconnect, back off, send the same ballot again; "already voted" counts as an
acknowledgement), and it prints acknowledged vs stored. Ends with one JSON line.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_VOTE_DB", "gh_bench_vote")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
CHOICES = ["yes", "no", "abstain"]


def choice_for(i: int) -> str:
    # a deterministic spread: 70% yes, 20% no, 10% abstain
    r = i % 10
    return "yes" if r < 7 else ("no" if r < 9 else "abstain")


def server_env() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{PG}/{DB_NAME}",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CONN_MAX_AGE="600",
        PYTHONUNBUFFERED="1",
    )
    return env


# ---- client side (a separate process) ---------------------------------------------------------


class Phone:
    """One delegate's phone: its cookies and a keep-alive connection owned by the calling thread."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def absorb(self, resp) -> None:
        for raw in resp.msg.get_all("Set-Cookie") or []:
            k, _, rest = raw.partition("=")
            self.cookies[k.strip()] = rest.split(";", 1)[0]


_local = threading.local()


def _conn(host: str, port: int) -> http.client.HTTPConnection:
    c = getattr(_local, "conn", None)
    if c is None:
        c = http.client.HTTPConnection(host, port, timeout=30)
        _local.conn = c
    return c


def _drop_conn() -> None:
    c = getattr(_local, "conn", None)
    if c is not None:
        c.close()
    _local.conn = None


def request(host, port, method, path, body=None, headers=None):
    c = _conn(host, port)
    try:
        c.request(method, path, body=body, headers=headers or {})
        resp = c.getresponse()
        data = resp.read()
    except Exception:
        _drop_conn()
        raise
    if resp.getheader("Connection", "").lower() == "close":
        _drop_conn()
    return resp, data


def checkin(host, port, token: str) -> dict:
    phone = Phone(host, port)
    path = f"/congress/c/{token}/"
    resp, _ = request(host, port, "GET", path)
    phone.absorb(resp)
    if resp.status != 200:
        raise RuntimeError(f"check-in page: {resp.status}")
    body = urlencode({"csrfmiddlewaretoken": phone.cookies["csrftoken"]})
    resp, _ = request(
        host,
        port,
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": phone.cookie_header()},
    )
    phone.absorb(resp)
    if resp.status != 302 or "sessionid" not in phone.cookies:
        raise RuntimeError(f"check-in failed: {resp.status} {phone.cookies}")
    return {**phone.cookies, "credential": resp.getheader("X-Delegate-Credential")}


def cast(
    host, port, poll_id: int, cookies: dict, choice: str, retry: bool, auth: str
) -> tuple[str, float, int]:
    """Send one ballot; returns (outcome, seconds of the successful attempt, attempts). `auth`:
    "credential" (the signed check-in credential in a header) or "session" (login cookie + CSRF)."""
    body = json.dumps({"choices": [choice]})
    headers = {"Content-Type": "application/json"}
    if auth == "credential":
        headers["X-Delegate-Credential"] = cookies["credential"]
    else:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items() if k != "credential")
        headers["X-CSRFToken"] = cookies["csrftoken"]
    attempts = 0
    while True:
        attempts += 1
        t = time.perf_counter()
        try:
            resp, data = request(
                host, port, "POST", f"/api/v1/congress/polls/{poll_id}/ballot", body=body, headers=headers
            )
            status = resp.status
        except (OSError, http.client.HTTPException):
            status = None
        took = time.perf_counter() - t
        if status == 201:
            return "accepted", took, attempts
        if status == 409:
            return "already", took, attempts
        if status is not None and status < 500:
            return f"http{status}", took, attempts
        if not retry or attempts >= 10:
            return "failed" if status is None else f"http{status}", took, attempts
        time.sleep(min(2.0, 0.05 * 2**attempts))


def healthz(host, port) -> tuple[str, float, int]:
    t = time.perf_counter()
    resp, _ = request(host, port, "GET", "/healthz")
    return ("ok" if resp.status == 200 else f"http{resp.status}"), time.perf_counter() - t, 1


def client_main(args) -> None:
    spec = json.loads(Path(args.spec).read_text())
    host, port, conc = "127.0.0.1", spec["port"], spec["concurrency"]
    if args.client == "checkin":
        t = time.perf_counter()
        with ThreadPoolExecutor(conc) as pool:
            cookies = list(pool.map(lambda tok: checkin(host, port, tok), spec["tokens"]))
        Path(spec["cookies_file"]).write_text(json.dumps(cookies))
        print(json.dumps({"seconds": time.perf_counter() - t, "n": len(cookies)}))
        return
    if args.client == "ceiling":
        jobs = [lambda: healthz(host, port) for _ in range(spec["n"])]
    else:
        cookies = json.loads(Path(spec["cookies_file"]).read_text())
        retry = args.client == "fault"
        poll_id = spec["poll_id"]
        auth = spec.get("auth", "credential")
        jobs = [
            lambda c=c, i=i: cast(host, port, poll_id, c, choice_for(i), retry, auth)
            for i, c in enumerate(cookies)
        ]
    # warm the connections of the pool first so the burst measures requests, not TCP set-up
    with ThreadPoolExecutor(conc) as pool:
        list(pool.map(lambda _: healthz(host, port), range(conc * 2)))
        if spec.get("ready_file"):
            Path(spec["ready_file"]).write_text("go")
        t0 = time.perf_counter()
        results = list(pool.map(lambda job: job(), jobs))
        seconds = time.perf_counter() - t0
    outcomes: dict[str, int] = {}
    for o, _t, _a in results:
        outcomes[o] = outcomes.get(o, 0) + 1
    lat = sorted(r[1] for r in results)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "n": len(results),
                "outcomes": outcomes,
                "p50_ms": 1000 * statistics.median(lat),
                "p95_ms": 1000 * lat[max(0, int(len(lat) * 0.95) - 1)],
                "retries": sum(r[2] - 1 for r in results),
                "acked_indexes": [i for i, r in enumerate(results) if r[0] in ("accepted", "already")],
            }
        )
    )


def run_client(mode: str, spec: dict, tmp: Path) -> dict:
    path = tmp / f"spec-{mode}.json"
    path.write_text(json.dumps(spec))
    out = subprocess.run(
        [sys.executable, __file__, "--client", mode, "--spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"client {mode} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- orchestration ----------------------------------------------------------------------------


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(port: int) -> subprocess.Popen:
    cmd = [
        str(Path(sys.executable).parent / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--blocking-threads",
        os.environ.get("BENCH_THREADS", "4"),
        "--backlog",
        "2048",
        "--respawn-failed-workers",
        "--respawn-interval",
        "0.2",
        "--no-ws",
        "config.wsgi:application",
    ]
    log = open(tempfile.gettempdir() + f"/vote_burst_granian_{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=server_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("granian did not start; see " + log.name)


def worker_pids(proc: subprocess.Popen) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(p) for p in out.split()]


def setup_congress(n: int, repeat: int = 1):
    """Union, term with N seats, N delegates (delegate-only users), a session in progress, the card
    tokens, and two secret motions."""
    from datetime import date

    from accounts.models import Role, RoleAssignment, User
    from congress import services
    from congress.models import Delegate
    from core.testing.world import make_org, make_user
    from orgs.models import OrgKind

    fed = make_org(OrgKind.FEDERATION, "压测街道总工会")
    union = make_org(OrgKind.UNION, "压测公司工会", fed, employee_count=n * 20, member_count=n * 20)
    sec = make_user("bench_secretariat", Role.SECRETARIAT, union)
    term = services.term_create(
        actor=sec,
        org=union,
        number=1,
        starts_on=date(2025, 1, 1),
        ends_on=date(2028, 1, 1),
        employees=n * 20,
        women_employees=n * 8,
    )
    cons = services.constituency_add(actor=sec, term=term, name="全体", employees=n * 20)
    users = User.objects.bulk_create(
        [User(username=f"bench-dlg-{i}", full_name=f"代表{i}", password="!unusable") for i in range(n)],
        batch_size=500,
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, org=union, role=Role.DELEGATE) for u in users], batch_size=500
    )
    Delegate.objects.bulk_create(
        [
            Delegate(
                org=union,
                term=term,
                constituency=cons,
                number=i + 1,
                name=f"代表{i}",
                sex="m",
                user=u,
                since=date(2025, 1, 1),
            )
            for i, u in enumerate(users)
        ],
        batch_size=500,
    )
    session = services.session_create(actor=sec, term=term, title="压测职代会", held_on=date(2026, 11, 25))
    services.session_open(actor=sec, session=session)
    cards = services.cards_issue(actor=sec, session=session)
    order = {d.pk: i for i, d in enumerate(Delegate.objects.filter(term=term).order_by("number"))}
    cards.sort(key=lambda c: order[c.delegate.pk])
    measured = [
        services.poll_create(actor=sec, session=session, kind="motion", title=f"压测表决{i + 1}", secret=True)
        for i in range(repeat)
    ]
    p2 = services.poll_create(
        actor=sec, session=session, kind="motion", title="压测表决二（故障）", secret=True
    )
    return sec, session, [c.token for c in cards], measured, p2


def stored(poll) -> tuple[int, int, dict]:
    from congress import services
    from congress.models import Ballot, Participation

    t = services.compute_tally(poll)
    return (
        Ballot.objects.filter(poll=poll).count(),
        Participation.objects.filter(poll=poll).count(),
        {o.key: o.votes for o in t.options},
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int, default=0)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=3, help="bursts and ceiling runs; medians are reported")
    ap.add_argument("--auth", choices=["credential", "session"], default="credential")
    ap.add_argument("--client", default="")
    ap.add_argument("--spec", default="")
    args = ap.parse_args()
    if args.client:
        client_main(args)
        return 0
    n = args.n or (200 if args.quick else 1000)
    conc = args.concurrency

    os.environ.update(server_env())
    sys.path.insert(0, str(ROOT))
    print(
        f"vote_burst: N={n} delegates, {conc} client threads, granian 2 workers, PostgreSQL {DB_NAME}",
        flush=True,
    )
    fresh_database()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=server_env(), check=True)
    import django

    django.setup()
    from django.db import connection

    from congress import services

    t = time.perf_counter()
    sec, session, tokens, measured, p2 = setup_congress(n, args.repeat)
    print(f"set-up: {n} delegates, cards printed in {time.perf_counter() - t:.1f}s")
    connection.close()

    port = free_port()
    server = start_server(port)
    tmp = Path(tempfile.mkdtemp(prefix="vote_burst_"))
    cookies_file = str(tmp / "cookies.json")
    base = {"port": port, "concurrency": conc, "cookies_file": cookies_file, "n": n, "auth": args.auth}
    try:
        r = run_client("checkin", {**base, "tokens": tokens}, tmp)
        print(
            f"check-in: {r['n']} delegates scanned their cards in {r['seconds']:.2f}s ({r['n'] / r['seconds']:.0f}/s, no password hashing)"
        )
        # The burst and the ceiling are each measured `--repeat` times (a fresh secret motion per
        # burst, every delegate voting once); the figures are the medians, the checks hold for all.
        bursts, ceilings, all_match, lost_total, dup_total = [], [], True, 0, 0
        sent = {c: sum(1 for i in range(n) if choice_for(i) == c) for c in CHOICES}
        for k, p1 in enumerate(measured, start=1):
            services.poll_open(actor=sec, poll=p1)
            connection.close()
            b = run_client("burst", {**base, "poll_id": p1.pk}, tmp)
            ballots, parts, tally = stored(p1)
            rate = n / b["seconds"]
            print(
                f"burst {k}: {n} ballots in {b['seconds']:.2f}s = {rate:.0f} ballots/s; "
                f"p50 {b['p50_ms']:.0f} ms, p95 {b['p95_ms']:.0f} ms; outcomes {b['outcomes']}"
            )
            print(
                f"stored: {ballots} ballots, {parts} participations (sent {n}); tally {tally} vs sent {sent}"
            )
            c = run_client("ceiling", base, tmp)
            print(f"ceiling {k} /healthz: {n / c['seconds']:.0f} req/s, p95 {c['p95_ms']:.0f} ms")
            services.poll_close(actor=sec, poll=p1)
            p1.refresh_from_db()
            closed_tally = {o["key"]: o["votes"] for o in p1.result["options"]}
            all_match = all_match and tally == sent and closed_tally == sent
            lost_total += n - parts
            dup_total += ballots - parts
            bursts.append(b)
            ceilings.append(c)
        burst = sorted(bursts, key=lambda b: b["seconds"])[len(bursts) // 2]
        ceiling = sorted(ceilings, key=lambda c: c["seconds"])[len(ceilings) // 2]
        rate, ceiling_rate = n / burst["seconds"], n / ceiling["seconds"]
        print(
            f"median of {len(bursts)}: {rate:.0f} ballots/s (p95 {burst['p95_ms']:.0f} ms) vs ceiling "
            f"{ceiling_rate:.0f} req/s: ratio {rate / ceiling_rate:.2f}"
        )
        services.poll_open(actor=sec, poll=p2)
        connection.close()

        # fault run: kill one worker in the middle of the burst
        ready = tmp / "ready"
        spec = {**base, "poll_id": p2.pk, "ready_file": str(ready)}
        spec_path = tmp / "spec-fault.json"
        spec_path.write_text(json.dumps(spec))
        proc = subprocess.Popen(
            [sys.executable, __file__, "--client", "fault", "--spec", str(spec_path)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        while not ready.exists() and proc.poll() is None:
            time.sleep(0.01)
        time.sleep(max(0.05, burst["seconds"] * 0.4))
        victims = worker_pids(server)
        killed = victims[0] if victims else None
        if killed:
            os.kill(killed, signal.SIGKILL)
        out, _ = proc.communicate(timeout=300)
        fault = json.loads(out.strip().splitlines()[-1])
        f_ballots, f_parts, f_tally = stored(p2)
        acked = len(fault["acked_indexes"])
        print(
            f"fault run: killed worker {killed} at {burst['seconds'] * 0.4:.2f}s; {fault['retries']} retries; "
            f"outcomes {fault['outcomes']}; acknowledged {acked}, stored {f_ballots} ballots / {f_parts} participations"
        )
        from congress.models import Participation

        stored_numbers = set(Participation.objects.filter(poll=p2).values_list("delegate__number", flat=True))
        lost = sum(1 for i in fault["acked_indexes"] if (i + 1) not in stored_numbers)
        f_sent = {c: sum(1 for i in fault["acked_indexes"] if choice_for(i) == c) for c in CHOICES}
        print(
            f"fault run: lost {lost}, duplicated {f_ballots - f_parts}; tally {f_tally} vs acknowledged {f_sent}"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    result = {
        "bench": "vote_burst",
        "ballots_sent": n,
        "ballots_stored": ballots,
        "bursts": len(bursts),
        "seconds": round(burst["seconds"], 3),
        "ballots_per_s": round(rate, 1),
        "p50_ms": round(burst["p50_ms"], 1),
        "p95_ms": round(burst["p95_ms"], 1),
        "ceiling_per_s": round(ceiling_rate, 1),
        "ceiling_ratio": round(rate / ceiling_rate, 3),
        "tally_matches": all_match,
        "lost": lost_total,
        "duplicated": dup_total,
        "fault_acknowledged": acked,
        "fault_stored": f_ballots,
        "fault_lost": lost,
        "fault_duplicated": f_ballots - f_parts,
        "fault_tally_matches": f_tally == f_sent,
        "concurrency": conc,
        "workers": 2,
        "server": "granian",
        "auth": args.auth,
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
