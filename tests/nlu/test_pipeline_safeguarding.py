"""The whole understanding pipeline (classifier, fallback and safety net) gives every known risk message the
immediate tier (emergency routes first). The lists were written by people who had not seen the patterns or the training data; their
first-sight figures are in bench/README.md, and from then on they guard against regressions."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.insight.evaluation import parse_with_model

NLU = Path(__file__).parent
MODEL = NLU.parent.parent / "models" / "local-offer.tar.gz"
RISK = sorted(NLU.glob("safeguarding_heldout*.txt")) + sorted((NLU.parent / "safety").glob("risk_register*.txt"))

pytestmark = [pytest.mark.model, pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make model)")]


@pytest.fixture(scope="module")
def risk_predictions() -> dict[str, list[dict]]:
    lines = {p.name: [line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
             for p in RISK}
    flat = [text for texts in lines.values() for text in texts]
    parsed = parse_with_model(flat, MODEL)
    out, start = {}, 0
    for name, texts in lines.items():
        out[name] = parsed[start:start + len(texts)]
        start += len(texts)
    return out


@pytest.mark.parametrize("name", [p.name for p in RISK])
def test_every_known_risk_message_gets_the_emergency_routes_first(name: str,
                                                                 risk_predictions: dict[str, list[dict]]) -> None:
    """Through the whole pipeline: safeguarding intent at the immediate tier, whatever the classifier said."""
    missed = [p["text"] for p in risk_predictions[name]
              if p["intent"] != "safeguarding_urgent" or (p.get("safeguarding") or {}).get("tier") != "immediate"]
    assert missed == []
