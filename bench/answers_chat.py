#!/usr/bin/env python
"""The blind answer probes through the whole chat: does the family's first reply carry the fact asked for?

`make eval-answers` scores the answer bank alone (no intent, or the probe's own topic as the intent). A family
gets more in the way than that: the classifier may send a question to the emergency routes, "out of scope", the
service search form or "Did you mean", and the reply may carry the fact in an article summary instead. Here each
probe is the first message of a new conversation with our real stack (the action server on a copy of the Local
Offer database, Rasa with models/local-offer.tar.gz, both started here as `bench/load_bench.py` starts them), and
every text of the reply counts, strictly (the probe's phrases as written blind) and with the reviewed plain
equivalents. Failures are grouped by how the reply began, so a routing fault shows as one line, not fifty.

    .venv/bin/python bench/answers_chat.py                       # every probe and follow-up set (5-6 minutes)
    .venv/bin/python bench/answers_chat.py tests/answers/probes_v5.yml --show-failures
    .venv/bin/python bench/answers_chat.py tests/answers/followups_v1.yml   # follow-ups, in context and alone

A follow-up file (`conversations:` with `first` and `follow_up`) is scored on the reply to the follow-up, sent
after the first message in the same conversation, and again sent alone in a new one: the difference is what
reading it in context is worth.
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import uuid
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import aiohttp
import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import load_bench  # noqa: E402

from bot.answers.evaluation import Probe, read_probes  # noqa: E402

ANSWER_TESTS = ROOT / "tests" / "answers"
# probes.yml, probes_v2.yml ... in the order they were written, then the follow-up conversations.
SETS = sorted(ANSWER_TESTS.glob("probes*.yml"), key=lambda p: (len(p.name), p.name)) + sorted(
    ANSWER_TESTS.glob("followups*.yml"))
CONCURRENT = 3


async def _reply(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> list[str]:
    payload = {"sender": sender, "message": text}
    async with session.post(url, json=payload, timeout=aiohttp.ClientTimeout(total=60)) as response:
        body = await response.json() if response.status == 200 else []
    return [str(message.get("text") or "") for message in body if isinstance(message, dict)]


async def ask_all(url: str, probes: list[Probe], before: list[str | None] | None = None) -> list[list[str]]:
    """The reply to each probe's question, as the first message of a new conversation, or after `before[i]`
    (its reply dropped) in the same one."""
    gate = asyncio.Semaphore(CONCURRENT)

    async def one(session: aiohttp.ClientSession, probe: Probe, first: str | None) -> list[str]:
        sender = f"probe-{uuid.uuid4().hex[:10]}"
        async with gate:
            if first:
                await _reply(session, url, sender, first)
            return await _reply(session, url, sender, probe.question)

    async with aiohttp.ClientSession() as session:
        return await asyncio.gather(*(one(session, probe, first)
                                      for probe, first in zip(probes, before or [None] * len(probes))))


def read_followups(path: Path) -> tuple[list[Probe], list[str]]:
    """A follow-up file as probes (the follow-up is the question) and the first message of each."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    conversations = data.get("conversations") or []
    probes = [Probe(str(c["id"]), str(c.get("topic") or ""), str(c["follow_up"]),
                    tuple(str(x) for x in c.get("expect_any") or ()), tuple(str(x) for x in c.get("expect_all") or ()))
              for c in conversations]
    return probes, [str(c["first"]) for c in conversations]


def opening(texts: list[str]) -> str:
    """How a reply began, cut to a shape shared by every reply of that kind (the route it took)."""
    first = next((t for t in texts if t.strip()), "(no reply)")
    return first.splitlines()[0][:60]


def report(path: Path, probes: list[Probe], replies: list[list[str]], show_failures: bool) -> tuple[int, int, int]:
    strict = [p.passes("\n".join(r)) for p, r in zip(probes, replies)]
    plain = [p.passes_plain("\n".join(r)) for p, r in zip(probes, replies)]
    n = len(probes)
    print(f"{path.name}: {n} probes; first reply carries the fact {sum(strict)}/{n} = {sum(strict) / n:.3f} strict, "
          f"{sum(plain)}/{n} = {sum(plain) / n:.3f} with reviewed plain words", flush=True)
    routes = Counter(opening(r) for r, ok in zip(replies, plain) if not ok)
    for start, count in routes.most_common(8):
        print(f"    {count:3d} failures began: {start}")
    if show_failures:
        for probe, reply, ok in zip(probes, replies, plain):
            if not ok:
                print(f"  {probe.id} {probe.question[:90]!r} -> {opening(reply)!r}")
    return sum(strict), sum(plain), n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, default=SETS, help="probe or follow-up files (default: all of them)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "local-offer.tar.gz")
    parser.add_argument("--show-failures", action="store_true", help="list every failing probe and its reply")
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"No trained model at {args.model}: run `make model` first.")
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="answers-chat-"))
    stack = argparse.Namespace(db="sqlite", tracker="memory", lock_store="memory", rasa_workers=1, action_workers=1,
                               fast_validation=False, out=workdir, model=Path(shutil.copy(args.model, workdir)))
    totals = [0, 0, 0]
    try:
        with ExitStack() as cleanup:
            bot = load_bench.start_ours(stack, workdir, "answers", cleanup)
            for path in args.sets:
                if "conversations" in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}):
                    probes, firsts = read_followups(path)
                    print("alone, in a new conversation:", flush=True)
                    report(path, probes, asyncio.run(ask_all(bot.url, probes)), False)
                    print("after the first message, in the same conversation:", flush=True)
                    report(path, probes, asyncio.run(ask_all(bot.url, probes, list(firsts))), args.show_failures)
                    continue
                probes = read_probes(path)
                replies = asyncio.run(ask_all(bot.url, probes))
                for i, value in enumerate(report(path, probes, replies, args.show_failures)):
                    totals[i] += value
    except RuntimeError as error:  # a server would not start: say which, without a traceback
        print(f"\nStopped: {error}")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    strict, plain, n = totals
    if n:
        print(f"All probe sets: {strict}/{n} = {strict / n:.3f} strict, {plain}/{n} = {plain / n:.3f} with reviewed "
              "plain words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
