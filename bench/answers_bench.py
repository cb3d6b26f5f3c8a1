"""Answer bank retrieval speed at 1,000 and 10,000 answers: `python bench/answers_bench.py` (bench/answers.md).

Synthetic answers reuse the real ones (data/local_offer/answers) with new ids and a numbered word added to each
wording, and their stored vectors with a little noise (re-normalised), so no encoding is needed to build the
database; the messages are the blind probes' questions. Measured per message, with the index already cached:
  rank      scoring and top-3 on the in-memory index (what grows with the bank),
  find      the whole `find_answers` call: the cache check query, encoding the message, rank,
  follow-up a short follow-up read alone and joined to the question before it, both ranked whole (for_chat),
and once: building the index from the database (the first message after any edit pays this). Above
scoring.EXACT_UP_TO answers a first pass picks candidates; "same top" is how often its top answer is the one
the exact ranking (every wording vector) gives.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers import scoring  # noqa: E402
from bot.answers.evaluation import read_probes  # noqa: E402
from bot.answers.retrieval import answer_index, clear_answer_cache, find_answers, rank, rank_message  # noqa: E402
from bot.answers.vectors import from_blob, to_blob  # noqa: E402
from bot.content.loader import load_content  # noqa: E402
from bot.db import migrate  # noqa: E402
from bot.db import models as m  # noqa: E402
from bot.db.session import dispose_engines, session_scope  # noqa: E402
from bot.nlp.encoder import encode  # noqa: E402

SIZES = (1_000, 10_000)
MESSAGES = 200


FOLLOW_UP = "and how long do they have?"


def _fill(url: str, size: int) -> None:
    """Add copies of the real answers until the bank holds `size` answers."""
    with session_scope(url) as db:
        real = list(db.query(m.Answer).order_by(m.Answer.id))
        rng = np.random.default_rng(16)
        rows, copy = [], 0
        while len(real) + len(rows) < size:
            copy += 1
            for a in real:
                if len(real) + len(rows) >= size:
                    break
                matrix = from_blob(a.vectors, a.vector_rows) + rng.normal(0, 0.02, (a.vector_rows, 384))
                matrix = (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)
                tag = f" v{copy}"
                rows.append(dict(id=f"{a.id}-copy-{copy}", topic=a.topic, question=a.question + tag,
                                 variants=[v + tag for v in a.variants], answer=a.answer + tag, facts=a.facts,
                                 sources=a.sources, verify=a.verify, verify_note=a.verify_note, related=a.related,
                                 vectors=to_blob(matrix), vector_rows=a.vector_rows, vector_model=a.vector_model,
                                 search_text=a.search_text + tag, source="content", updated_at=datetime.utcnow(),
                                 updated_by="bench"))
        db.execute(m.Answer.__table__.insert(), rows)


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms"


def main() -> int:
    questions = [p.question for p in read_probes(ROOT / "tests" / "answers" / "probes.yml")][:MESSAGES]
    vectors = encode(questions)
    print(f"{len(questions)} messages (the probes' questions); SQLite; {time.strftime('%Y-%m-%d')}")
    for size in SIZES:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.db"
            migrate.upgrade(url)
            load_content(ROOT / "data" / "local_offer", url)
            _fill(url, size)
            clear_answer_cache()
            with session_scope(url) as db:
                started = time.perf_counter()
                index = answer_index(db)
                build = (time.perf_counter() - started) * 1000
                ranks, finds = [], []
                for text, vector in zip(questions, vectors):
                    started = time.perf_counter()
                    rank(index, vector, text)
                    ranks.append((time.perf_counter() - started) * 1000)
                for text in questions:
                    started = time.perf_counter()
                    find_answers(db, text)
                    finds.append((time.perf_counter() - started) * 1000)
                follows = []
                for text in questions:  # a follow-up read alone and joined to the question before (for_chat)
                    started = time.perf_counter()
                    alone = rank_message(db, FOLLOW_UP)
                    joined = rank_message(db, f"{text.rstrip('.?!')}. {FOLLOW_UP}")
                    assert alone is not None and joined is not None
                    best = joined.best(5)[0]
                    alone.best(3)
                    alone.score_of(best.id)
                    follows.append((time.perf_counter() - started) * 1000)
                exact_limit = scoring.EXACT_UP_TO
                scoring.EXACT_UP_TO = 10 ** 9
                exact = [rank(index, v, t, limit=1)[0].id for t, v in zip(questions, vectors)]
                scoring.EXACT_UP_TO = exact_limit
                fast = [rank(index, v, t, limit=1)[0].id for t, v in zip(questions, vectors)]
                same = sum(a == b for a, b in zip(exact, fast)) / len(exact)
            print(f"{len(index):>6} answers ({len(index.wordings):>6} wording vectors): index built in {build:7.1f} ms")
            print(f"        rank:         {_percentiles(ranks)}   same top as exact: {same:.3f}")
            print(f"        find_answers: {_percentiles(finds)}   (includes encoding the message)")
            print(f"        follow-up:    {_percentiles(follows)}   (both readings, each encoded and ranked whole)")
            dispose_engines()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
