"""Run every benchmark in bench/ (each prints its figures and ends with one JSON line).

python bench/run_all.py           # full sizes (the issues' targets)
python bench/run_all.py --quick   # small sizes, a smoke run
"""

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["import_members.py", "member_search.py", "dues_run.py", "vote_burst.py"]


def main() -> int:
    quick = "--quick" in sys.argv[1:]
    scripts = [HERE / name for name in ORDER if (HERE / name).exists()]
    scripts += sorted(
        p
        for p in HERE.glob("*.py")
        if p.name not in ORDER and p.name != "run_all.py" and not p.name.startswith("_")
    )
    results, failed = [], []
    for script in scripts:
        print(f"\n=== {script.name} {'--quick' if quick else ''}", flush=True)
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, str(script), *(["--quick"] if quick else [])],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stdout.write(proc.stderr[-3000:])
            failed.append(script.name)
            continue
        last = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if last:
            results.append(json.loads(last[-1]))
        print(f"({time.monotonic() - started:.1f}s)")
    print("\n=== summary")
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
