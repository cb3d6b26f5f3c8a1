"""Start and stop the servers a benchmark drives, and read their memory.

Why here: every server is started in its own process group and stopped by its own id (never by name),
so a benchmark that fails half-way still leaves nothing running on the shared machine.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

try:  # psutil is not in the lock file; /proc is enough on Linux
    import psutil  # type: ignore
except ImportError:  # pragma: no cover - depends on the machine
    psutil = None

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def start(name: str, argv: list[str], env: dict[str, str], log_path: Path, cwd: Path) -> Server:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handle = log_path.open("w")
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT,
                               start_new_session=True)
    handle.close()
    return Server(name, process, log_path)


def stop(server: Server, grace_s: float = 20.0, sig: int = signal.SIGTERM) -> None:
    """Ask the server's own process group to stop (SIGINT lets a profiler write its file), then insist."""
    if not server.alive():
        return
    try:
        os.killpg(server.pid, sig)
    except ProcessLookupError:
        return
    try:
        server.process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.process.wait(timeout=10)


def wait_http(server: Server, url: str, timeout_s: float) -> None:
    """Until `url` answers 200; raises with the log's tail if the server dies or is too slow."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not server.alive():
            raise RuntimeError(f"{server.name} stopped while starting:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    raise RuntimeError(f"{server.name} did not answer {url} within {timeout_s:.0f} s:\n{server.log_tail()}")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _rss_kb(pid: int) -> int:
    try:
        return int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Sanic workers, cProfile wrappers), in MB."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            procs = [root] + root.children(recursive=True)
            return sum(p.memory_info().rss for p in procs) / 1_048_576
        except psutil.Error:
            return 0.0
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss_kb(current)
        todo.extend(_children(current))
    return total / 1024
