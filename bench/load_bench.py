#!/usr/bin/env python
"""Load benchmark: our stack against Rasa's own example bot, at 10, 20, 50 and 100 concurrent conversations.

Starts (on loopback) one action server on :5355 with a copy of the Local Offer database and one Rasa
server on :5305 with models/local-offer.tar.gz and a tracker store (PostgreSQL by default, as in
production), drives scripted conversations through the REST channel, then does the same for the bot
`rasa init` makes (trained once, cached under bench/results/cache/) on :5405. Prints a table and writes
bench/results/load_summary.csv, load_samples.csv and load_p95.png. See bench/load.md.

    .venv/bin/python bench/load_bench.py                 # the full run (about 12 minutes)
    .venv/bin/python bench/load_bench.py --duration 5    # a quick look
    .venv/bin/python bench/load_bench.py --profile       # where the time goes (cProfile of both servers)
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import yaml  # noqa: E402
from lib import procs  # noqa: E402
from lib.drive import MemorySampler, converse_once, drive  # noqa: E402
from lib.scripts import EXAMPLE_SCRIPTS, OUR_SCRIPTS, Turn, response_prefixes  # noqa: E402
from lib.stats import LevelSummary, Sample, fmt, percentile, ratio, summarise  # noqa: E402

VENV_BIN = Path(sys.executable).parent
RASA = str(VENV_BIN / "rasa")
PY = sys.executable
OUR_RASA_PORT, OUR_ACTIONS_PORT = 5305, 5355
EXAMPLE_RASA_PORT = 5405
PG_BASE = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
TARGET_P95_MS, TARGET_P95_LEVEL, TARGET_RATIO = 100.0, 20, 1.5


# ---------------------------------------------------------------- stores ----------------------------

def _pg_admin(sql: str) -> None:
    import psycopg2

    try:
        connection = psycopg2.connect(f"{PG_BASE}/postgres")
    except psycopg2.OperationalError as error:
        raise RuntimeError(f"PostgreSQL at {PG_BASE} is not reachable ({str(error).strip()}); start it, set "
                           f"BENCH_PG_URL, or use --tracker sqlite") from error
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def create_pg_database(name: str, cleanup: ExitStack) -> str:
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
    _pg_admin(f'CREATE DATABASE "{name}"')
    cleanup.callback(_pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return f"{PG_BASE}/{name}"


def server_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", PYTHONDONTWRITEBYTECODE="1",
               SQLALCHEMY_SILENCE_UBER_WARNING="1", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def prepare_local_offer_db(kind: str, workdir: Path, tag: str, cleanup: ExitStack) -> str:
    """A database the action server may write to (feedback, unanswered questions) without touching var/."""
    if kind == "postgres":
        url = create_pg_database(f"bench_local_offer_{tag}", cleanup)
        steps = [["-m", "bot", "migrate"], ["-m", "bot", "load", "data/local_offer"]]
    else:
        path = workdir / "local_offer.db"
        source = ROOT / "var" / "local_offer.db"
        url = f"sqlite:///{path}"
        if source.exists():
            shutil.copy(source, path)
            steps = [["-m", "bot", "migrate"]]  # brings a stale copy up to the current schema
        else:
            steps = [["-m", "bot", "migrate"], ["-m", "bot", "load", "data/local_offer"]]
    for step in steps:
        done = subprocess.run([PY, *step], cwd=ROOT, env=server_env(DATABASE_URL=url), capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise RuntimeError(f"`python {' '.join(step)}` failed on the benchmark database:\n{done.stderr[-2000:]}")
    return url


def tracker_url(kind: str, workdir: Path, name: str, tag: str, cleanup: ExitStack) -> str | None:
    if kind == "postgres":
        return create_pg_database(f"bench_{name}_{tag}", cleanup)
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'{name}.db'}"
    return None


def write_endpoints(path: Path, tracker: str | None, action_url: str | None, lock_store: str, tag: str) -> None:
    endpoints: dict = {}
    if action_url:
        endpoints["action_endpoint"] = {"url": action_url}
    if tracker:
        endpoints["tracker_store"] = {"type": "SQL", "url": tracker}
    if lock_store == "redis":
        endpoints["lock_store"] = {"type": "redis", "url": REDIS_HOST, "port": REDIS_PORT, "db": 0,
                                   "key_prefix": f"bench{tag}"}
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))


# ---------------------------------------------------------------- the bots --------------------------

@dataclass
class Bot:
    name: str
    url: str
    scripts: list[list[Turn]]
    failure_marker: str | None
    servers: dict[str, procs.Server]
    prefixes: dict[str, str]


def failure_marker() -> str:
    """The start of the reply a family gets when an action fails (read from the domain, not copied)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    text = domain["responses"]["utter_something_went_wrong"][0]["text"]
    return text.split("{")[0].strip()[:40]


def _profiled(argv: list[str], profile: Path | None, fast_validation: bool = False) -> list[str]:
    """Run a server under cProfile (it writes the file when the server stops on SIGINT), and/or Rasa with
    the action-result check built once (bench/lib/rasa_fast_validation.py)."""
    if argv[1:3] == ["run", "actions"]:
        module, rest = "rasa_sdk", argv[3:]
    elif fast_validation:
        module, rest = str(BENCH / "lib" / "rasa_fast_validation.py"), argv[1:]
    else:
        module, rest = "rasa", argv[1:]
    runner = [PY, "-m", "cProfile", "-o", str(profile)] if profile else [PY]
    if profile is None and module == "rasa_sdk":
        return argv
    return [*runner, module, *rest] if module.endswith(".py") else [*runner, "-m", module, *rest]


def start_ours(args: argparse.Namespace, workdir: Path, tag: str, cleanup: ExitStack,
               profile_dir: Path | None = None) -> Bot:
    db_url = prepare_local_offer_db(args.db, workdir, tag, cleanup)
    tracker = tracker_url(args.tracker, workdir, "tracker_ours", tag, cleanup)
    endpoints = workdir / "endpoints-ours.yml"
    write_endpoints(endpoints, tracker, f"http://127.0.0.1:{OUR_ACTIONS_PORT}/webhook", args.lock_store, tag)
    logs = args.out / "logs"
    env = server_env(DATABASE_URL=db_url, SENDER_SALT="bench", SANIC_WORKERS=str(args.rasa_workers),
                     ACTION_SERVER_SANIC_WORKERS=str(args.action_workers))
    actions = procs.start("action server", _profiled(
        [RASA, "run", "actions", "--port", str(OUR_ACTIONS_PORT), "--actions", "actions"],
        profile_dir / "actions.prof" if profile_dir else None), env, logs / "ours-actions.log", ROOT)
    cleanup.callback(procs.stop, actions, 30, signal.SIGINT)
    rasa = procs.start("Rasa (ours)", _profiled(
        [RASA, "run", "--model", str(args.model), "--port", str(OUR_RASA_PORT), "-i", "127.0.0.1",
         "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
        profile_dir / "rasa.prof" if profile_dir else None, args.fast_validation), env, logs / "ours-rasa.log", ROOT)
    cleanup.callback(procs.stop, rasa, 60, signal.SIGINT)
    procs.wait_http(actions, f"http://127.0.0.1:{OUR_ACTIONS_PORT}/health", 120)
    procs.wait_http(rasa, f"http://127.0.0.1:{OUR_RASA_PORT}/", 300)
    return Bot("ours", f"http://127.0.0.1:{OUR_RASA_PORT}/webhooks/rest/webhook", OUR_SCRIPTS,
               failure_marker(), {"rasa": rasa, "actions": actions},
               response_prefixes(yaml.safe_load((ROOT / "domain.yml").read_text())))


def example_model(cache: Path) -> tuple[Path, Path]:
    """Rasa's example bot from `rasa init`, trained once and cached; returns (project dir, model)."""
    import rasa

    project = cache / f"example-bot-{rasa.__version__}"
    models = sorted((project / "models").glob("*.tar.gz")) if project.exists() else []
    if models:
        return project, models[-1]
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    print(f"Training Rasa's example bot once (rasa init) into {project} ...", flush=True)
    started = time.monotonic()
    done = subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(project)], cwd=project,
                          env=server_env(), capture_output=True, text=True)
    models = sorted((project / "models").glob("*.tar.gz"))
    if done.returncode != 0 or not models:
        raise RuntimeError(f"rasa init failed:\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    print(f"  trained in {time.monotonic() - started:.0f} s", flush=True)
    return project, models[-1]


def start_example(args: argparse.Namespace, workdir: Path, tag: str, cleanup: ExitStack) -> Bot:
    project, model = example_model(args.cache)
    tracker = tracker_url(args.tracker, workdir, "tracker_example", tag, cleanup)
    endpoints = workdir / "endpoints-example.yml"
    write_endpoints(endpoints, tracker, None, args.lock_store, tag + "x")
    env = server_env(SANIC_WORKERS=str(args.rasa_workers))
    rasa = procs.start("Rasa (example bot)", _profiled([
        RASA, "run", "--model", str(model), "--port", str(EXAMPLE_RASA_PORT), "-i", "127.0.0.1",
        "--endpoints", str(endpoints), "--credentials", str(project / "credentials.yml")],
        None, args.fast_validation), env, args.out / "logs" / "example-rasa.log", project)
    cleanup.callback(procs.stop, rasa, 60, signal.SIGINT)
    procs.wait_http(rasa, f"http://127.0.0.1:{EXAMPLE_RASA_PORT}/", 300)
    return Bot("example", f"http://127.0.0.1:{EXAMPLE_RASA_PORT}/webhooks/rest/webhook", EXAMPLE_SCRIPTS,
               None, {"rasa": rasa}, response_prefixes(yaml.safe_load((project / "domain.yml").read_text())))


# ---------------------------------------------------------------- running ---------------------------

def warm_up(bot: Bot, args: argparse.Namespace, run_id: str) -> None:
    """Each script once, in order: loads lazy parts of both servers, and shows the replies with --show."""
    problems = 0
    for index, script in enumerate(bot.scripts):
        replies = asyncio.run(converse_once(bot.url, f"warmup-{run_id}-{bot.name}-{index}", script,
                                            args.timeout, bot.failure_marker, bot.prefixes))
        for turn, error, body in replies:
            problems += bool(error)
            if args.show or error:
                texts = [str(item.get("text", ""))[:70].replace("\n", " ") for item in body or []
                         if isinstance(item, dict)] if isinstance(body, list) else [str(body)[:120]]
                print(f"  [{bot.name}] {turn.text[:50]!r:52} {error or 'ok':>12}  {' | '.join(texts)[:150]}")
    if problems:
        print(f"  warning: {problems} warm-up message(s) of {bot.name} failed or went off script (the model "
              f"answered otherwise than the script expects); see the lines above and {args.out / 'logs'}")


def run_levels(bot: Bot, args: argparse.Namespace, run_id: str, samples: list[Sample]) -> list[LevelSummary]:
    summaries = []
    for level in args.levels:
        readers = {name: (lambda s=server: procs.tree_rss_mb(s.pid)) for name, server in bot.servers.items()}
        load_before = os.getloadavg()[0]
        with MemorySampler(readers) as memory:
            level_samples, elapsed = asyncio.run(drive(bot.url, bot.name, level, bot.scripts, args.duration,
                                                       args.think, args.timeout, bot.failure_marker,
                                                       bot.prefixes, run_id))
        samples.extend(level_samples)
        summary = summarise(bot.name, level, level_samples, elapsed, memory.peak)
        summaries.append(summary)
        dead = [name for name, server in bot.servers.items() if not server.alive()]
        print(f"  {bot.name:8} {level:4} conversations: {summary.ok:6} ok, {summary.error_count:4} errors, "
              f"{summary.per_second:6.1f} msg/s, p50 {fmt(summary.p50)} ms, p95 {fmt(summary.p95)} ms, "
              f"p99 {fmt(summary.p99)} ms, {summary.off_script} off script  (load {load_before:.2f})"
              + (f"  STOPPED: {', '.join(dead)}" if dead else ""), flush=True)
        if dead:
            raise RuntimeError(f"{', '.join(dead)} stopped during the run; see {args.out / 'logs'}")
    return summaries


# ---------------------------------------------------------------- report ----------------------------

def print_table(ours: list[LevelSummary], example: list[LevelSummary]) -> list[str]:
    """The table, and the target checks as lines (also returned for load.md)."""
    theirs = {s.level: s for s in example}
    print()
    print(f"{'bot':8} {'conv':>5} {'msgs':>6} {'err':>4} {'msg/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} "
          f"{'max':>7} {'RSS rasa':>9} {'RSS act':>8} {'p95 ratio':>9}")
    for summary in ours + example:
        mine = summary.bot == "ours"
        other = theirs.get(summary.level)
        r = ratio(summary.p95, other.p95) if mine and other else math.nan
        print(f"{summary.bot:8} {summary.level:5} {summary.messages:6} {summary.error_count:4} "
              f"{summary.per_second:6.1f} {fmt(summary.p50):>6} {fmt(summary.p95):>6} {fmt(summary.p99):>6} "
              f"{fmt(summary.max):>7} {fmt(summary.rss_mb.get('rasa', math.nan)):>9} "
              f"{fmt(summary.rss_mb.get('actions', math.nan)):>8} {fmt(r, 2) if mine else '':>9}")
        if summary.errors or summary.off_script:
            print(f"{'':15} errors: {', '.join(f'{k} {v}' for k, v in summary.errors.items()) or 'none'}; "
                  f"good replies off script: {summary.off_script}")
    lines = []
    by_level = {s.level: s for s in ours}
    at = by_level.get(TARGET_P95_LEVEL)
    if at:
        lines.append(f"p95 at {TARGET_P95_LEVEL} conversations: {fmt(at.p95)} ms (target <= {TARGET_P95_MS:.0f}): "
                     f"{'met' if at.p95 <= TARGET_P95_MS else 'NOT met'}")
    top = by_level.get(max(by_level)) if by_level else None
    if top:
        lines.append(f"errors at {top.level} conversations: {top.error_count} of {top.messages} (target 0): "
                     f"{'met' if top.error_count == 0 else 'NOT met'}")
    for summary in ours:
        other = theirs.get(summary.level)
        if other:
            r = ratio(summary.p95, other.p95)
            lines.append(f"p95 ratio to the example bot at {summary.level}: {fmt(r, 2)} (target <= {TARGET_RATIO}): "
                         f"{'met' if r <= TARGET_RATIO else 'NOT met'}")
    print()
    for line in lines:
        print("  " + line)
    return lines


def print_kinds(samples: list[Sample]) -> None:
    """Our latency split by what the message exercises: where the time goes, from the outside."""
    ours = [s for s in samples if s.bot == "ours" and not s.error]
    if not ours:
        return
    print("\nOur latency by kind of message (ms, p50 / p95):")
    kinds = sorted({s.kind for s in ours})
    print(f"{'conv':>6} " + " ".join(f"{kind:>16}" for kind in kinds))
    for level in sorted({s.level for s in ours}):
        cells = []
        for kind in kinds:
            values = [s.latency_ms for s in ours if s.level == level and s.kind == kind]
            cells.append(f"{fmt(percentile(values, 50)):>7} / {fmt(percentile(values, 95)):<6}")
        print(f"{level:>6} " + " ".join(f"{c:>16}" for c in cells))


def write_csv(args: argparse.Namespace, summaries: list[LevelSummary], samples: list[Sample], stamp: str,
              load: tuple[float, float, float]) -> None:
    with (args.out / "load_summary.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["run", "bot", "conversations", "messages", "ok", "errors", "error_kinds", "elapsed_s",
                         "msg_per_s", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "max_ms", "off_script", "rasa_rss_mb",
                         "actions_rss_mb", "tracker", "db", "lock_store", "think_s", "duration_s",
                         "rasa_workers", "action_workers", "fast_validation", "model_sha256", "loadavg_at_start"])
        for s in summaries:
            writer.writerow([stamp, s.bot, s.level, s.messages, s.ok, s.error_count,
                             ";".join(f"{k}:{v}" for k, v in s.errors.items()), f"{s.elapsed_s:.2f}",
                             f"{s.per_second:.2f}", f"{s.p50:.1f}", f"{s.p95:.1f}", f"{s.p99:.1f}",
                             f"{s.mean:.1f}", f"{s.max:.1f}", s.off_script, f"{s.rss_mb.get('rasa', 0):.0f}",
                             f"{s.rss_mb.get('actions', 0):.0f}", args.tracker, args.db, args.lock_store,
                             f"{args.think[0]}-{args.think[1]}", args.duration, args.rasa_workers,
                             args.action_workers, int(args.fast_validation), args.model_sha,
                             " ".join(f"{x:.2f}" for x in load)])
    with (args.out / "load_samples.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["bot", "conversations", "kind", "started_s", "latency_ms", "error", "off_script"])
        for s in samples:
            writer.writerow([s.bot, s.level, s.kind, f"{s.started:.3f}", f"{s.latency_ms:.1f}", s.error,
                             int(s.off_script)])


def plot(args: argparse.Namespace, summaries: list[LevelSummary], title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for bot, colour, label in (("ours", "#1d70b8", "Local Offer bot"), ("example", "#d4351c", "Rasa example bot")):
        mine = sorted((s for s in summaries if s.bot == bot), key=lambda s: s.level)
        if mine:
            ax.plot([s.level for s in mine], [s.p95 for s in mine], "o-", color=colour, label=f"{label} p95")
            ax.plot([s.level for s in mine], [s.p50 for s in mine], "o--", color=colour, alpha=0.5,
                    label=f"{label} p50")
    ax.axhline(TARGET_P95_MS, color="grey", linestyle=":", label=f"target p95 {TARGET_P95_MS:.0f} ms")
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("latency per message (ms)")
    ax.set_yscale("log")
    ax.set_xticks(sorted({s.level for s in summaries}))
    ax.set_title(title, fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path = args.out / "load_p95.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


# ---------------------------------------------------------------- profile ---------------------------

def profile(args: argparse.Namespace, workdir: Path, tag: str, run_id: str) -> None:
    """Both of our servers under cProfile for one level; prints where their time went."""
    import pstats

    out = args.out / "profile"
    out.mkdir(parents=True, exist_ok=True)
    samples: list[Sample] = []
    with ExitStack() as cleanup:
        bot = start_ours(args, workdir, tag, cleanup, profile_dir=out)
        warm_up(bot, args, run_id)
        args.levels = [args.profile_level]
        run_levels(bot, args, run_id, samples)
        print_kinds(samples)
        for server in bot.servers.values():
            procs.stop(server, 60, signal.SIGINT)  # the profile is written on a clean stop
    for name in ("rasa", "actions"):
        path = out / f"{name}.prof"
        if not path.exists():
            print(f"\n(no profile for {name}: the server did not stop cleanly)")
            continue
        for order in ("tottime", "cumulative"):
            print(f"\n==== {name}: top 25 by {order} ({path}) ====")
            stats = pstats.Stats(str(path))
            stats.sort_stats(order).print_stats(25)


# ---------------------------------------------------------------- main ------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="10,20,50,100", help="concurrent conversations (default 10,20,50,100)")
    parser.add_argument("--duration", type=float, default=60, help="seconds per level (default 60)")
    parser.add_argument("--think", default="1,3",
                        help="pause between a reply and the next message, 'low,high' seconds (default 1,3; 0 = none)")
    parser.add_argument("--timeout", type=float, default=15, help="seconds before a message counts as timed out "
                        "(default 15, the widget's own timeout)")
    parser.add_argument("--tracker", choices=("postgres", "sqlite", "memory"), default="postgres",
                        help="Rasa's tracker store (default postgres, as in production)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite",
                        help="the Local Offer database for the action server (default: a copy of var/local_offer.db)")
    parser.add_argument("--lock-store", choices=("memory", "redis"), default="memory",
                        help="Rasa's lock store (default memory; redis is needed for --rasa-workers > 1)")
    parser.add_argument("--rasa-workers", type=int, default=1, help="Sanic workers for Rasa (SANIC_WORKERS)")
    parser.add_argument("--action-workers", type=int, default=1,
                        help="Sanic workers for the action server (ACTION_SERVER_SANIC_WORKERS)")
    parser.add_argument("--fast-validation", action="store_true",
                        help="run both Rasa servers with the action-result check built once (an experiment)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "local-offer.tar.gz")
    parser.add_argument("--only", choices=("ours", "example"), help="run one bot only")
    parser.add_argument("--show", action="store_true", help="print every warm-up reply")
    parser.add_argument("--profile", action="store_true", help="profile our servers at one level instead")
    parser.add_argument("--profile-level", type=int, default=20)
    parser.add_argument("--out", type=Path, default=BENCH / "results", help="where results go")
    parser.add_argument("--cache", type=Path, default=BENCH / "results" / "cache",
                        help="where the trained example bot is kept between runs")
    args = parser.parse_args(argv)
    args.levels = [int(x) for x in args.levels.split(",") if x.strip()]
    low, _, high = args.think.partition(",")
    args.think = (float(low), float(high or low))
    if args.rasa_workers > 1 and args.lock_store != "redis":
        parser.error("--rasa-workers > 1 needs --lock-store redis (Rasa falls back to 1 worker otherwise)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A plain `kill` must still stop the servers and drop the benchmark databases (the finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not args.model.exists():
        print(f"No trained model at {args.model}: run `make model` first.")
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="load-bench-"))
    # A snapshot of the model: the file in models/ may be retrained while the benchmark runs.
    model_mtime = time.strftime('%Y-%m-%d %H:%M', time.localtime(args.model.stat().st_mtime))
    model_name = args.model.name
    args.model = Path(shutil.copy(args.model, workdir / "local-offer.tar.gz"))
    args.model_sha = hashlib.sha256(args.model.read_bytes()).hexdigest()[:12]
    run_id = uuid.uuid4().hex[:8]
    tag = f"{os.getpid()}"
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    load = os.getloadavg()
    print(f"Load benchmark {stamp}: levels {args.levels}, {args.duration:.0f} s each, think {args.think[0]}-"
          f"{args.think[1]} s, tracker {args.tracker}, Local Offer db {args.db}, lock store {args.lock_store}, "
          f"Rasa workers {args.rasa_workers}, action workers {args.action_workers}, fast validation "
          f"{'on' if args.fast_validation else 'off'}; model {model_name} sha256 {args.model_sha} "
          f"({model_mtime}); "
          f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    try:
        return _run(args, workdir, tag, run_id, stamp, load)
    except RuntimeError as error:  # a server or a store would not start: say which, without a traceback
        print(f"\nThe benchmark stopped: {error}")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, workdir: Path, tag: str, run_id: str, stamp: str,
         load: tuple[float, float, float]) -> int:
    if args.profile:
        profile(args, workdir, tag, run_id)
        return 0
    samples: list[Sample] = []
    summaries: list[LevelSummary] = []
    for name, starter in (("ours", start_ours), ("example", start_example)):
        if args.only and args.only != name:
            continue
        with ExitStack() as cleanup:
            started = time.monotonic()
            bot = starter(args, workdir, tag, cleanup)
            print(f"{name}: servers ready in {time.monotonic() - started:.0f} s; warming up", flush=True)
            warm_up(bot, args, run_id)
            summaries += run_levels(bot, args, run_id, samples)
    print_table([s for s in summaries if s.bot == "ours"], [s for s in summaries if s.bot == "example"])
    print_kinds(samples)
    write_csv(args, summaries, samples, stamp, load)
    end_load = os.getloadavg()
    title = (f"{stamp}, {os.cpu_count()} CPUs, load {load[0]:.1f} -> {end_load[0]:.1f}; tracker {args.tracker}; "
             f"think {args.think[0]}-{args.think[1]} s; {args.duration:.0f} s per level")
    png = plot(args, summaries, title)
    print(f"\nWrote {args.out / 'load_summary.csv'}, {args.out / 'load_samples.csv'} and {png}")
    print(f"Load average at the end: {end_load[0]:.2f} {end_load[1]:.2f} {end_load[2]:.2f}")
    return 0  # targets missed are reported above, not turned into a failed command


if __name__ == "__main__":
    sys.exit(main())
