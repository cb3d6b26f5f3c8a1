"""A hand-made answer row with the fields `build_index` reads, for tests that build an index without a database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

DIM = 384


@dataclass
class Row:
    id: str
    topic: str
    question: str
    answer: str
    search_text: str
    matrix: np.ndarray
    title: str = "T"
    related: dict | None = None
    checked: date | None = None
