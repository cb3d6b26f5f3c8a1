"""The replicated tier, started once per test session and always stopped (see tier.py).

Only runs when SCALE_TIER is set (`make test-scale` sets it), so a plain `pytest` never starts four servers.
Skipped with the reason when PostgreSQL, redis-server or the trained model is missing, unless
SCALE_REQUIRED is set too (as `make test-scale` does): then that is a failure.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterator
from uuid import uuid4

import pytest

from tests.scale.tier import MODEL, PG_ADMIN_URL, Tier, closed_helpline_content


def _why_not_runnable() -> str | None:
    if not MODEL.exists():
        return f"no trained model at {MODEL} (make model)"
    if not shutil.which("redis-server"):
        return "redis-server is not installed"
    host = PG_ADMIN_URL.split("@")[-1].split("/")[0].split(":")[0]
    if subprocess.run(["pg_isready", "-q", "-h", host], capture_output=True).returncode != 0:
        return f"PostgreSQL is not answering at {host}"
    return None


@pytest.fixture(scope="session")
def tier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tier]:
    if not os.environ.get("SCALE_TIER"):
        pytest.skip("the scale tier starts four servers: run it with `make test-scale`")
    reason = _why_not_runnable()
    if reason:
        if os.environ.get("SCALE_REQUIRED"):
            pytest.fail(reason)
        pytest.skip(reason)
    content = closed_helpline_content(Path(tmp_path_factory.mktemp("content")) / "local_offer")
    tier = Tier(token=os.environ.get("SCALE_RASA_TOKEN") or uuid4().hex, content_dir=content)
    try:
        tier.start()
        yield tier
    finally:
        tier.stop()
