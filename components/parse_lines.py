"""Parse messages with a trained model: one message per stdin line in, one JSON line out.

Why a separate process: `bot` never imports Rasa, so `python -m bot eval` runs this with the venv's
Python and reads its output. Usage: python -m components.parse_lines models/local-offer.tar.gz
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


async def _main(model: str) -> None:
    from rasa.core.agent import Agent

    logging.disable(logging.WARNING)
    agent = Agent.load(model)
    for line in sys.stdin:
        text = line.rstrip("\n")
        result = await agent.parse_message(text)
        intent = result.get("intent") or {}
        ranking = [{"name": r["name"], "confidence": round(float(r["confidence"]), 4)}
                   for r in (result.get("intent_ranking") or [])[:5]]
        print(json.dumps({"text": text, "intent": intent.get("name"), "confidence": intent.get("confidence"),
                          "safety_net": intent.get("safety_net"),
                          "classifier_confidence": intent.get("classifier_confidence"),
                          "safeguarding": result.get("safeguarding"),
                          "ranking": ranking}), flush=True)


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1]))
