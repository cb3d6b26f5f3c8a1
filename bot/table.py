"""A readable plain-text table for terminals (helpline staff read it while a parent is on the phone)."""
from __future__ import annotations

import shutil
import textwrap


def render_table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    """Columns wrap to fit the terminal; every row is separated so long cells stay readable."""
    total = max(shutil.get_terminal_size((120, 20)).columns, 80)
    if widths is None:
        share = (total - 3 * len(headers)) // len(headers)
        widths = [share] * len(headers)
    wrapped = [[textwrap.wrap(cell or "", w) or [""] for cell, w in zip(row, widths)] for row in rows]
    rule = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(h.ljust(w) for h, w in zip(headers, widths)), rule]
    for cells in wrapped:
        for line in range(max(len(c) for c in cells)):
            out.append(" | ".join((c[line] if line < len(c) else "").ljust(w) for c, w in zip(cells, widths)))
        out.append(rule)
    return "\n".join(out)
