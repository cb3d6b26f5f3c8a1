"""The real stack for the hostile-input suite: one action server (:5255) and one Rasa server (:5205) with the
trained model and our REST channel, started once per session and always stopped.

Only started when HOSTILE_TESTS is set (`make test-hostile` sets it): Rasa takes a minute or two to load on a
busy machine, so a plain `pytest` skips these tests with that reason. The web app and widget tests in this
folder do not need it and always run.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import requests

from bot.config import ROOT
from bot.content.loader import load_content
from bot.db import migrate
from bot.db.session import dispose_engines

MODEL = ROOT / "models" / "local-offer.tar.gz"
RASA_BIN = ROOT / ".venv" / "bin" / "rasa"
ACTIONS_PORT = 5255
RASA_PORT = 5205
WEB_ORIGIN = "http://127.0.0.1:8790"  # the origin the REST channel allows (CORS) in these tests
READY_TIMEOUT = 420  # seconds: two servers loading TensorFlow on a shared 2-core machine
RATE_LIMIT = {"RATE_LIMIT_PER_MINUTE": "20", "RATE_LIMIT_BURST": "20"}


def hostile_stack_enabled() -> bool:
    return bool(os.environ.get("HOSTILE_TESTS"))


@dataclass
class Stack:
    rasa_url: str
    actions_url: str
    tracker_url: str
    rasa: subprocess.Popen
    actions: subprocess.Popen
    logs: Path

    @property
    def webhook(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    def alive(self) -> bool:
        return self.rasa.poll() is None and self.actions.poll() is None

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    try:
        # Its own process group, so stopping it also stops anything it started, and nothing else.
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)
    finally:
        handle.close()


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def _wait_ready(url: str, processes: list[subprocess.Popen], deadline: float) -> bool:
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(2)
    return False


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not hostile_stack_enabled():
        pytest.skip("starts Rasa and an action server (1-2 minutes): run with `make test-hostile`")
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL} (make model)")
    folder = tmp_path_factory.mktemp("hostile-stack")
    database_url = f"sqlite:///{folder / 'local_offer.db'}"
    migrate.upgrade(database_url)
    load_content(ROOT / "data" / "local_offer", database_url)
    dispose_engines()
    tracker_url = f"sqlite:///{folder / 'tracker.db'}"
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "RASA_TOKEN")}
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", PYTHONDONTWRITEBYTECODE="1",
               SQLALCHEMY_SILENCE_UBER_WARNING="1", DATABASE_URL=database_url, TRACKER_STORE_URL=tracker_url,
               ACTION_ENDPOINT_URL=f"http://127.0.0.1:{ACTIONS_PORT}/webhook", SENDER_SALT="hostile-tests",
               **RATE_LIMIT)
    actions = _start([str(RASA_BIN), "run", "actions", "--port", str(ACTIONS_PORT), "--actions", "actions"],
                     env, folder / "actions.log")
    rasa = _start([str(RASA_BIN), "run", "--model", str(MODEL), "--port", str(RASA_PORT),
                   "--endpoints", "endpoints.yml", "--credentials", "credentials.yml", "--cors", WEB_ORIGIN],
                  env, folder / "rasa.log")
    stack = Stack(f"http://127.0.0.1:{RASA_PORT}", f"http://127.0.0.1:{ACTIONS_PORT}", tracker_url, rasa, actions,
                  folder)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        ready = (_wait_ready(f"{stack.actions_url}/health", [actions, rasa], deadline)
                 and _wait_ready(f"{stack.rasa_url}/", [actions, rasa], deadline))
        if not ready:
            pytest.fail("the hostile stack did not start:\n--- rasa ---\n" + stack.log_tail("rasa")
                        + "\n--- actions ---\n" + stack.log_tail("actions"))
        yield stack
    finally:
        _stop(rasa)
        _stop(actions)


# The slow modules (a real Rasa, ~2,000 web requests, CLI processes, a browser) run only with HOSTILE_TESTS;
# test_channel.py (the channel's wiring with fakes, and the Redis rate limit) always runs.
SLOW_MODULES = {"test_rest_channel.py", "test_web.py", "test_cli.py", "test_widget_hostile.py", "test_widget_real_bot.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hostile_stack_enabled():
        return
    skip = pytest.mark.skip(reason="the hostile-input suite is slow: run it with `make test-hostile`")
    here = Path(__file__).parent
    for item in items:
        if item.path.parent == here and item.path.name in SLOW_MODULES:
            item.add_marker(skip)
