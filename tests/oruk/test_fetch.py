"""Fetching feeds over HTTP from a real local server: pages followed in each style, limits kept, and the
command line importing from a URL into a real database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from bench.generate_directory import generate_services, paged
from bot.config import ROOT
from bot.db import models as m
from bot.db.session import session_scope
from bot.oruk.feed import FeedError
from bot.oruk.fetch import fetch_feed

PORT = 8771
SERVICES = generate_services(25, seed=31)
for _i, _s in enumerate(SERVICES):
    _s["id"] = f"url-{_i}"
    for _child in ("phones", "contacts", "schedules", "cost_options"):
        for _j, _row in enumerate(_s[_child]):
            _row["id"] = f"url-{_i}:{_child}:{_j}"
    _s["service_at_locations"] = []
PAGES = paged(SERVICES, 10)  # 3 pages, numbered from 1


class _Feed(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _json(self, document: object, status: int = 200) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        page = int(parse_qs(parts.query).get("page", ["-1"])[0])
        if parts.path == "/oruk3/services":
            self._json(PAGES[(page if page > 0 else 1) - 1])
        elif parts.path == "/spring/services":  # ORUK 2 style: pages from 0, "last" flag
            number = max(page, 0)
            self._json({"content": SERVICES[number * 10:(number + 1) * 10], "number": number, "totalPages": 3,
                        "last": number == 2, "first": number == 0})
        elif parts.path == "/linked/services":
            number = max(page, 1)
            self._json({"contents": SERVICES[(number - 1) * 10:number * 10],
                        "next": f"/linked/services?page={number + 1}" if number < 3 else None})
        elif parts.path == "/loop":
            self._json({"contents": SERVICES[:1], "next": "/loop"})
        elif parts.path == "/big":
            self._json(SERVICES * 40)
        elif parts.path == "/slow":
            time.sleep(2)
            self._json([])
        else:
            self._json({"error": "no"}, 404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", PORT), _Feed)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{PORT}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.mark.parametrize("path", ["/oruk3/services?per_page=10", "/spring/services", "/linked/services"])
def test_every_page_is_followed_once(server: str, path: str) -> None:
    fetched = fetch_feed(server + path)
    assert fetched.pages == 3
    assert [r["id"] for r in fetched.records] == [s["id"] for s in SERVICES]


def test_a_page_loop_is_stopped(server: str) -> None:
    with pytest.raises(FeedError, match="loop"):
        fetch_feed(server + "/loop")


def test_size_cap_and_errors_are_plain_messages(server: str) -> None:
    with pytest.raises(FeedError, match="more than"):
        fetch_feed(server + "/big", max_bytes=50_000)
    with pytest.raises(FeedError, match="answered 404"):
        fetch_feed(server + "/nothing")
    with pytest.raises(FeedError, match="could not reach"):
        fetch_feed(server + "/slow", timeout=0.3)
    with pytest.raises(FeedError, match="could not reach"):
        fetch_feed("http://127.0.0.1:8779/closed-port")


def test_cli_imports_every_page_from_a_url(server: str, loaded_db: str) -> None:
    env = {**os.environ, "DATABASE_URL": loaded_db}
    done = subprocess.run([sys.executable, "-m", "bot", "import-oruk", server + "/oruk3/services"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Imported 25 of 25 services from 3 page(s)" in done.stdout
    with session_scope(loaded_db) as session:
        ids = set(session.execute(select(m.Service.id).where(m.Service.id.like("url-%"))).scalars())
    assert ids == {s["id"] for s in SERVICES}
