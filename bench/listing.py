"""Listing of a 50,000-ticket event: the Excel file and the printable HTML page, timed, with peak memory.

    .venv/bin/python bench/listing.py [--tickets 50000]

Builds the event with ``bench_fixture`` on PostgreSQL, then a fresh process generates both files exactly as
the back office and the dispatch do (``ticketing.listings``) and reports its time and its peak resident
memory. Prints one JSON report. Target: both files in < 10 s and < 200 MB peak memory.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import manage, migrated_env  # noqa: E402

GENERATE = """
import json, resource, sys, time
import django
django.setup()
from ticketing import listings
from ticketing.models import Event
event = Event.objects.select_related("organisation").get(pk=int(sys.argv[1]))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
xlsx = listings.xlsx(event)
xlsx_done = time.perf_counter()
html = listings.html(event)
done = time.perf_counter()
print(json.dumps({
    "xlsx_seconds": round(xlsx_done - started, 3), "html_seconds": round(done - xlsx_done, 3),
    "total_seconds": round(done - started, 3), "xlsx_bytes": len(xlsx), "html_bytes": len(html.encode()),
    "html_rows": html.count("<tr><td class=tick>"),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "rss_before_mb": round(before / 1024, 1),
}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=50_000)
    args = parser.parse_args()
    env = migrated_env()
    fixture = Path(tempfile.mkdtemp(prefix="listing-bench-"))
    manage(
        env, "bench_fixture", "--tickets", str(args.tickets), "--out", str(fixture), stdout=subprocess.DEVNULL
    )
    event_id = json.loads((fixture / "target.json").read_text())["event_id"]
    result = subprocess.run(
        [sys.executable, "-c", GENERATE, str(event_id)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    measured = json.loads(result.stdout)
    report = {
        "benchmark": "listing",
        "tickets": args.tickets,
        "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
        **measured,
        "target": {"total_seconds": 10, "peak_rss_mb": 200},
        "pass": measured["total_seconds"] < 10
        and measured["peak_rss_mb"] < 200
        and measured["html_rows"] == args.tickets,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
