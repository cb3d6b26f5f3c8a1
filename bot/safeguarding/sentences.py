"""A sentence in a long message that reads like a risk example: a possible concern the whole message hides.

Why: in a long post about an EHCP or a tribunal, "he went out an hour ago and isn't answering" is one sentence in
twenty. The message's vector, and so the classifier, reads the SEND question the post ends with. The danger
patterns catch the wordings they were written for, but only about 6 in 10 of each new blind risk list (and 12 in
100 of one such list had no route at all, nearly all of them long posts: bench/safeguarding.md).

So each sentence of a long message is set beside the training examples. One sentence is enough to put the message in
the concern tier: it must sit nearer a safeguarding example than any other example, by MARGIN, and be close to it
(FLOOR). In that tier the family's question is still answered, and one short line of routes is added. The two
lines were set on ordinary messages, so that hard but safe family stories stay quiet (bench/safeguarding.md).
Risk lists were used only to measure. It never makes a message immediate: only a danger pattern does that.

Pure numpy: the vectors come from `bot.nlp.encoder`, the examples from the trained model (components/).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import numpy.typing as npt

from bot.nlp.encoder import split_sentences

Vectors = npt.NDArray[np.float32]

MIN_MESSAGE = 200  # characters: a shorter message is one or two sentences, and the classifier reads it whole
MIN_SENTENCE = 15  # characters: "Sorry." and "Anyway." carry nothing
MARGIN = 0.10  # nearest safeguarding example's cosine minus the nearest other example's
FLOOR = 0.50  # cosine with the nearest safeguarding example
FILE = "risk_examples.npz"
PARSE_KEY = "risk_sentence"  # where the finding is written on the parse result, for the safety net


@dataclass(frozen=True)
class RiskSentence:
    """Which sentence, how close it is to a safeguarding example, and by how much that beats every other."""

    index: int
    similarity: float
    margin: float

    def as_dict(self) -> dict[str, float]:
        return {"sentence": self.index, "similarity": round(self.similarity, 4), "margin": round(self.margin, 4)}


def sentences_to_check(text: str) -> list[str]:
    """The sentences of a long message worth comparing; none for a short one."""
    if len(text or "") < MIN_MESSAGE:
        return []
    return [s for s in split_sentences(text) if len(s) >= MIN_SENTENCE]


class RiskExamples:
    """The training examples' vectors, split into safeguarding and the rest."""

    def __init__(self, risk: Vectors, other: Vectors) -> None:
        self.risk = np.asarray(risk, dtype=np.float32)
        self.other = np.asarray(other, dtype=np.float32)

    @classmethod
    def from_examples(cls, vectors: Vectors, labels: Sequence[str], risk_label: str) -> "RiskExamples | None":
        """None when the training data has no safeguarding examples, or nothing else (nothing to compare)."""
        is_risk = np.array([label == risk_label for label in labels], dtype=bool)
        if not is_risk.any() or is_risk.all():
            return None
        return cls(vectors[is_risk], vectors[~is_risk])

    def find(self, vectors: Vectors) -> RiskSentence | None:
        """The sentence (row of `vectors`, L2-normalised) that passes both lines by the widest margin, if any."""
        if not len(vectors):
            return None
        nearest_risk = (vectors @ self.risk.T).max(axis=1)
        nearest_other = (vectors @ self.other.T).max(axis=1)
        margins = nearest_risk - nearest_other
        passing = np.flatnonzero((margins > MARGIN) & (nearest_risk > FLOOR))
        if not len(passing):
            return None
        best = int(passing[np.argmax(margins[passing])])
        return RiskSentence(best, float(nearest_risk[best]), float(margins[best]))

    def save(self, folder: Path) -> None:
        np.savez(folder / FILE, risk=self.risk, other=self.other)

    @classmethod
    def load(cls, folder: Path) -> "RiskExamples | None":
        path = folder / FILE
        if not path.exists():
            return None
        with np.load(path) as data:
            return cls(data["risk"], data["other"])
