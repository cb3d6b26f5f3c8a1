"""Directory search latency at 1k, 10k and 100k services, on SQLite and PostgreSQL.

Method: a fresh database per backend (a temp SQLite file; PostgreSQL database `local_offer_bench`, created
and dropped here), migrated and loaded with the real content, then grown with generated ORUK services
(bench/generate_directory.py) through the importer's set-based upsert. At each size a fixed mix of 200
queries, written as families write them, goes through the bot's own path: vocabulary parse, then
`search_widening(limit=3)` from bot/directory/search.py (what `find_services_for_family` runs, minus opening a
session). One warm-up pass, then `--passes` timed passes. Prints p50/p95/p99 per size and backend, and
writes a CSV and a PNG of p95 against size to bench/results/.

    .venv/bin/python bench/search_bench.py                       # everything (a few minutes)
    .venv/bin/python bench/search_bench.py --sizes 1000 10000 --backends sqlite
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate_directory import generate_services  # noqa: E402
from bot.content.loader import load_content  # noqa: E402
from bot.db import migrate  # noqa: E402
from bot.db.session import dispose_engines, session_scope  # noqa: E402
from bot.directory.search import ServiceQuery, search_widening  # noqa: E402
from bot.directory.vocabulary import clear_vocabulary_cache, get_vocabulary  # noqa: E402
from bot.oruk.importer import import_records  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "local_offer_bench"
TARGET_P95_MS = 10.0

TOWNS = ["colchester", "clacton", "chelmsford", "basildon", "harlow", "braintree", "witham", "maldon", "rayleigh",
         "canvey", "epping", "loughton", "saffron walden", "brentwood", "billericay", "harwich", "wickford"]
TOPICS = ["speech therapy", "salt", "ot", "physio", "autism support", "adhd support", "respite", "short breaks",
          "parent support group", "sendiass", "camhs", "school transport", "portage", "college", "swimming",
          "sensory room", "hearing aid", "special school", "family hub", "diagnosis", "grants", "wheelchair"]
NEEDS = ["autistic", "adhd", "speech delay", "deaf", "visually impaired", "cerebral palsy", "anxiety", "dyslexia"]
FREE = ["autism support colchester", "speech therapy in clacton for my 7 year old", "respite braintree",
        "hydrotherapy", "something for my autistic son in harlow age 12", "help with school refusal chelmsford",
        "parent group basildon", "holiday club for kids with adhd in witham", "calm friendly sessions",
        "quiet space for a break", "ot for handwriting maldon age 9", "sensory friendly cinema epping"]


def query_mix(count: int = 200, seed: int = 1) -> list[str]:
    """Realistic messages: category+place+age, free text, need only, topic only, words only."""
    rng = random.Random(seed)
    mix = []
    for i in range(count):
        kind = i % 10
        if kind < 4:
            mix.append(f"{rng.choice(TOPICS)} {rng.choice(TOWNS)} age {rng.randint(1, 19)}")
        elif kind < 6:
            mix.append(rng.choice(FREE))
        elif kind < 8:
            mix.append(rng.choice(NEEDS))
        elif kind == 8:
            mix.append(f"{rng.choice(TOPICS)} in {rng.choice(['mid essex', 'south essex', 'west essex'])}")
        else:
            mix.append(rng.choice(["calm", "siblings welcome", "book by phone", "health visitors", "quiet space"]))
    return mix


def run_queries(url: str, messages: list[str], passes: int) -> tuple[list[float], list[float]]:
    """Wall and this process's CPU milliseconds per message, as the bot runs it (parse, then search with
    widening). On a shared machine the wall time includes waiting for a core; the CPU time does not (and for
    PostgreSQL it leaves out the server's own work)."""
    timings: list[float] = []
    cpu: list[float] = []
    with session_scope(url) as session:
        vocabulary = get_vocabulary(session)
        for message in messages:  # warm-up: caches, statements, pages
            search_widening(session, ServiceQuery.from_parsed(vocabulary.parse(message)), limit=3)
        for _ in range(passes):
            for message in messages:
                started, started_cpu = time.perf_counter(), time.process_time()
                query = ServiceQuery.from_parsed(vocabulary.parse(message))
                search_widening(session, query, limit=3)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            session.expunge_all()
    return timings, cpu


@dataclass
class Row:
    backend: str
    size: int
    p50: float
    p95: float
    p99: float
    mean: float
    cpu_p95: float
    load_seconds: float
    loadavg: float


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def prepare(backend: str, workdir: Path, pg_admin: str) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        from sqlalchemy import create_engine, text

        admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT", future=True)
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}"))
            connection.execute(text(f"CREATE DATABASE {PG_BENCH_DB}"))
        admin.dispose()
        url = pg_admin.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"
    migrate.upgrade(url)
    load_content(ROOT / "data" / "local_offer", url)
    return url


def drop(backend: str, pg_admin: str) -> None:
    dispose_engines()
    if backend == "postgresql":
        from sqlalchemy import create_engine, text

        admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT", future=True)
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}"))
        admin.dispose()


def analyse(url: str) -> None:
    """Fresh planner statistics after a bulk load, as autovacuum or a nightly job would give production.

    On PostgreSQL also VACUUM: it sets the visibility map, without which the covering indexes cannot be read
    as index-only scans (the plans then fetch every heap row); autovacuum does the same after a bulk import.
    """
    from sqlalchemy import text

    if url.startswith("postgresql"):
        from bot.db.session import get_engine

        with get_engine(url).connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        return
    with session_scope(url) as session:
        session.execute(text("ANALYZE"))


def bench_backend(backend: str, sizes: list[int], services: list[dict], messages: list[str], passes: int,
                  pg_admin: str) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        url = prepare(backend, Path(tmp), pg_admin)
        try:
            loaded = 0
            for size in sizes:
                started = time.perf_counter()
                report = import_records(services[loaded:size], url, batch_size=2000)
                load_seconds = time.perf_counter() - started
                assert report.created == size - loaded and not report.problems, report.problems[:3]
                loaded = size
                analyse(url)
                clear_vocabulary_cache()
                timings, cpu = run_queries(url, messages, passes)
                row = Row(backend, size, percentile(timings, 50), percentile(timings, 95), percentile(timings, 99),
                          statistics.fmean(timings), percentile(cpu, 95), load_seconds, os.getloadavg()[0])
                print(f"  {backend:10} {size:>7}: p50 {row.p50:6.1f} ms  p95 {row.p95:6.1f} ms  "
                      f"p99 {row.p99:6.1f} ms  cpu p95 {row.cpu_p95:5.1f} ms  (load {load_seconds:.0f} s, loadavg {row.loadavg:.1f})", flush=True)
                rows.append(row)
        finally:
            drop(backend, pg_admin)
    return rows


def write_results(rows: list[Row], tag: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    csv_path = RESULTS / f"search_bench{tag}.csv"
    with csv_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["backend", "services", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "client_cpu_p95_ms",
                         "load_s", "loadavg"])
        for r in rows:
            writer.writerow([r.backend, r.size, f"{r.p50:.2f}", f"{r.p95:.2f}", f"{r.p99:.2f}", f"{r.mean:.2f}",
                             f"{r.cpu_p95:.2f}", f"{r.load_seconds:.1f}", f"{r.loadavg:.2f}"])
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4))
    for backend in sorted({r.backend for r in rows}):
        points = [(r.size, r.p95) for r in rows if r.backend == backend]
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=backend)
    axes.axhline(TARGET_P95_MS, linestyle="--", color="grey", label=f"target {TARGET_P95_MS:.0f} ms")
    axes.set_xscale("log")
    axes.set_xlabel("generated services")
    axes.set_ylabel("p95 latency (ms)")
    axes.set_title("Directory search p95 (parse + search_widening, limit 3)")
    axes.legend()
    figure.tight_layout()
    png_path = RESULTS / f"search_bench{tag}_p95.png"
    figure.savefig(png_path, dpi=120)
    print(f"Wrote {csv_path} and {png_path}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Directory search latency benchmark.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pg-admin-url", default=os.environ.get("BENCH_PG_ADMIN_URL", PG_ADMIN_URL))
    parser.add_argument("--tag", default="", help="suffix for the result files, e.g. -before")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    print(f"Generating {sizes[-1]} services...", flush=True)
    services = generate_services(sizes[-1], seed=42)
    messages = query_mix(args.queries)
    print(f"{len(messages)} queries x {args.passes} pass(es); machine loadavg {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs", flush=True)
    rows: list[Row] = []
    for backend in args.backends:
        rows += bench_backend(backend, sizes, services, messages, args.passes, args.pg_admin_url)
    print()
    print(f"{'backend':10} {'services':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'cpu p95':>8}"
          f"  target p95 <= {TARGET_P95_MS:.0f} ms")
    for r in rows:
        verdict = "met" if r.p95 <= TARGET_P95_MS else "MISSED"
        print(f"{r.backend:10} {r.size:>9} {r.p50:8.1f} {r.p95:8.1f} {r.p99:8.1f} {r.mean:8.1f} {r.cpu_p95:8.1f}  {verdict}")
    write_results(rows, args.tag)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
