"""Where the Local Offer is thin: service categories by the 12 districts, with gaps and thin cells flagged.

Why pure: the counting is one SQL query (bot.db.queries.coverage); turning counts into a matrix with levels,
totals and a CSV is plain logic that the console, a CLI or a report can share and tests can pin exactly.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Mapping, Sequence

from sqlalchemy.orm import Session

from bot.db.queries.areas import list_districts
from bot.db.queries.coverage import count_services_by_category_and_district, list_categories
from bot.insight.training_export import csv_cell

GAP, THIN, COVERED = "gap", "thin", "covered"
LEVEL_TEXT = {GAP: "None", THIN: "Only one", COVERED: ""}


@dataclass(frozen=True)
class Cell:
    count: int

    @property
    def level(self) -> str:
        return GAP if self.count == 0 else THIN if self.count == 1 else COVERED


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    cells: tuple[Cell, ...]

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell.level == GAP)

    @property
    def thin(self) -> int:
        return sum(1 for cell in self.cells if cell.level == THIN)


@dataclass(frozen=True)
class Matrix:
    districts: tuple[tuple[str, str], ...]  # (code, name)
    rows: tuple[Row, ...]
    include_examples: bool

    @property
    def gaps(self) -> int:
        return sum(row.gaps for row in self.rows)

    @property
    def thin(self) -> int:
        return sum(row.thin for row in self.rows)


def build_matrix(categories: Sequence[tuple[str, str]], districts: Sequence[tuple[str, str]],
                 counts: Mapping[tuple[str, str], int], include_examples: bool = False) -> Matrix:
    """One row per category (code, name) and one column per district (code, name), zeros where nothing counts."""
    rows = tuple(
        Row(code, name, tuple(Cell(int(counts.get((code, district), 0))) for district, _ in districts))
        for code, name in categories
    )
    return Matrix(tuple(districts), rows, include_examples)


def matrix_csv(matrix: Matrix) -> str:
    """The matrix as a spreadsheet: a header of district names, then one row per category with its counts."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["category", *(csv_cell(name) for _, name in matrix.districts)])
    for row in matrix.rows:
        writer.writerow([csv_cell(row.name), *(cell.count for cell in row.cells)])
    return out.getvalue()


def load_matrix(session: Session, include_examples: bool = False) -> Matrix:
    """The coverage matrix from the database (the entry point for the console)."""
    counts = count_services_by_category_and_district(session, include_examples)
    categories = [(term.code, term.name) for term in list_categories(session)]
    districts = [(d.code, d.name) for d in list_districts(session)]
    return build_matrix(categories, districts, counts, include_examples)
