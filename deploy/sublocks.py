"""Write the per-image lock files from requirements.lock, so every image installs only what it runs.

Why derived and not hand-kept: the action server needs rasa-sdk but not Rasa or TensorFlow, the web app needs
neither, and a pin typed twice drifts. Each image names the packages it imports (IMAGES below); the rest of
its lock is their dependency closure, read from the installed packages' metadata in the project's venv, with
every version copied from requirements.lock. `tests/deploy/test_locks.py` checks that the files are current.

    .venv/bin/python deploy/sublocks.py           # rewrite requirements-{actions,web,rasa}.lock
    .venv/bin/python deploy/sublocks.py --check   # exit 1 if any of them is out of date
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
MAIN_LOCK = ROOT / "requirements.lock"

# What each image's own code imports (found with an import walk over the code the image copies; the
# throwaway-venv import check in deploy/README.md proves the list is enough).
ACTIONS = (
    "rasa-sdk",  # the action server itself: `python -m rasa_sdk`
    "SQLAlchemy", "psycopg2-binary",  # bot.db, PostgreSQL in production
    "numpy", "safetensors", "onnxruntime",  # the answer bank's sentence encoder (bot.nlp.encoder)
    "PyYAML", "pydantic", "python-dateutil", "holidays",  # content files, deadline rules, bank holidays
)
WEB = (
    "Flask", "Flask-WTF", "WTForms", "Werkzeug", "Jinja2", "govuk-frontend-jinja", "govuk-frontend-wtf",
    "waitress",  # `python -m bot web`
    "SQLAlchemy", "psycopg2-binary", "alembic",  # the database and `python -m bot migrate`
    "numpy", "safetensors", "onnxruntime",  # console search and `bot load` encode with the same encoder
    "PyYAML", "pydantic", "python-dateutil", "holidays",
    "textstat", "tqdm",  # `bot check-content` / `bot readability`, `bot import-oruk`
)
RASA = (
    "rasa", "rasa-sdk", "spacy", "scikit-learn",  # Rasa, its spaCy pipeline, bot.nlp.intent_model
    "SQLAlchemy", "psycopg2-binary", "redis", "jsonschema",  # tracker store, rate-limit buckets, channels/
    "numpy", "safetensors", "onnxruntime",  # the pipeline's sentence encoder
    "PyYAML", "pydantic", "python-dateutil", "holidays",
)
# The build stage every Dockerfile shares (`AS encoder`): unpack the weights and write the ONNX graph the images
# run (python -m bot.nlp.onnx_graph). onnx is needed there only, so it is in no image's own lock.
ENCODER_BUILD = ("onnx", "safetensors", "numpy")
IMAGES = {"actions": ACTIONS, "web": WEB, "rasa": RASA, "encoder": ENCODER_BUILD}
# pip is pinned by the Dockerfiles (and make) before the lock is installed.
BASE = frozenset({"pip"})


def normalise(name: str) -> str:
    """PEP 503 form, so 'PyYAML', 'pyyaml' and 'py_yaml' are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Pin:
    name: str  # as requirements.lock writes it
    version: str

    @property
    def line(self) -> str:
        return f"{self.name}=={self.version}"


def read_pins(path: Path) -> dict[str, Pin]:
    """name -> pin for every `name==version` line; comments and blank lines are skipped."""
    pins = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep:
            raise ValueError(f"{path.name}: '{raw}' is not pinned with ==")
        pins[normalise(name)] = Pin(name.strip(), version.strip())
    return pins


def _requires(name: str, extras: frozenset[str]) -> list[Requirement]:
    """The installed package's requirements that apply on this Python (3.10, Linux) with these extras."""
    found = []
    for text in metadata.distribution(name).requires or []:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": extra}) for extra in (extras or {""})):
            found.append(requirement)
    return found


def closure(roots: tuple[str, ...]) -> set[str]:
    """Every package (normalised name) the roots need, following the installed metadata."""
    seen: set[str] = set()
    todo = [Requirement(root) for root in roots]
    while todo:
        requirement = todo.pop()
        name = normalise(requirement.name)
        if name in seen or name in BASE:
            continue
        seen.add(name)
        todo.extend(_requires(requirement.name, frozenset(requirement.extras)))
    return seen


def render(image: str, pins: dict[str, Pin]) -> str:
    names = closure(IMAGES[image])
    missing = sorted(names - set(pins))
    if missing:
        raise ValueError(f"{image}: needed but not pinned in requirements.lock: {', '.join(missing)}")
    lines = [pins[name].line for name in sorted(names)]
    what = "Dockerfiles' encoder build stage" if image == "encoder" else f"{image} image"
    header = (f"# The {what}'s packages: generated by deploy/sublocks.py from requirements.lock (same\n"
              f"# versions). Do not edit; change requirements.lock or the list in deploy/sublocks.py and rerun.\n")
    return header + "\n".join(lines) + "\n"


def lock_path(image: str) -> Path:
    return ROOT / f"requirements-{image}.lock"


def main(argv: list[str]) -> int:
    pins = read_pins(MAIN_LOCK)
    stale = []
    for image in IMAGES:
        text, path = render(image, pins), lock_path(image)
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path.name}: {text.count('==')} packages")
    if stale:
        print(f"out of date (run .venv/bin/python deploy/sublocks.py): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
