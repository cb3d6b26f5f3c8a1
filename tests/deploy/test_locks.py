"""The per-image lock files: the same versions as requirements.lock, current, and without Rasa where they must
be; the Dockerfiles install them (deploy/sublocks.py writes them, deploy/README.md "Images")."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from types import ModuleType

import pytest

from bot.config import ROOT
from bot.web.console.assets import GOVUK_DIST

DEPLOY = ROOT / "deploy"
IMAGES = ("actions", "web", "rasa")
HEAVY = ("rasa", "tensorflow", "tensorflow-text", "tensorflow-hub", "spacy", "scikit-learn", "torch")
TOOLS = ("pytest", "pytest-timeout", "playwright", "ruff", "mypy", "import-linter")


def _load_sublocks() -> ModuleType:
    """deploy/ is not a package: load the script as a module (registered first, for its dataclass)."""
    spec = importlib.util.spec_from_file_location("deploy_sublocks", DEPLOY / "sublocks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sublocks = _load_sublocks()
MAIN = sublocks.read_pins(ROOT / "requirements.lock")


def _lock(image: str) -> dict:
    return sublocks.read_pins(ROOT / f"requirements-{image}.lock")


@pytest.mark.parametrize("image", IMAGES)
def test_every_pin_in_an_image_lock_is_the_main_locks_pin(image: str) -> None:
    pins = _lock(image)
    assert pins, f"requirements-{image}.lock is empty"
    differ = {name: (pin.line, MAIN[name].line if name in MAIN else "(not in requirements.lock)")
              for name, pin in pins.items() if name not in MAIN or MAIN[name] != pin}
    assert not differ, f"requirements-{image}.lock disagrees with requirements.lock: {differ}"


@pytest.mark.parametrize("image", IMAGES)
def test_the_image_locks_are_current(image: str) -> None:
    """Rerun `.venv/bin/python deploy/sublocks.py` after changing requirements.lock or an image's list."""
    expected = sublocks.render(image, MAIN)
    assert (ROOT / f"requirements-{image}.lock").read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("image", ["actions", "web"])
def test_the_action_server_and_web_locks_have_no_rasa_or_tensorflow(image: str) -> None:
    pins = _lock(image)
    assert not [name for name in pins if name in HEAVY or name.startswith("tensorflow")]
    assert not [name for name in pins if name in TOOLS]


def test_the_action_server_lock_has_rasa_sdk_and_the_web_lock_flask() -> None:
    assert "rasa-sdk" in _lock("actions") and "flask" not in _lock("actions")
    assert "flask" in _lock("web") and "rasa-sdk" not in _lock("web")


def test_the_rasa_lock_has_rasa_but_no_test_or_web_tools() -> None:
    pins = _lock("rasa")
    assert {"rasa", "rasa-sdk", "tensorflow", "spacy"} <= set(pins)
    assert not [name for name in pins if name in TOOLS or name in ("flask", "waitress", "playwright")]


@pytest.mark.parametrize("image", IMAGES)
def test_each_dockerfile_installs_its_own_lock(image: str) -> None:
    dockerfile = (DEPLOY / f"Dockerfile.{image}").read_text(encoding="utf-8")
    assert f"pip install -r requirements-{image}.lock && pip check" in dockerfile
    instructions = "\n".join(line for line in dockerfile.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"(?<![-\w])requirements\.lock", instructions), "the whole lock is installed again"
    kept = [line[1:] for line in (DEPLOY / f"Dockerfile.{image}.dockerignore").read_text(encoding="utf-8").splitlines()
            if line.startswith("!")]
    for copied in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M):
        for source in copied.split():
            assert any(source == path or (path.endswith("/") and source.startswith(path)) for path in kept), \
                f"Dockerfile.{image} copies {source}, which its .dockerignore leaves out of the build context"


def test_the_action_server_starts_without_the_rasa_command() -> None:
    assert '"python", "-m", "rasa_sdk"' in (DEPLOY / "Dockerfile.actions").read_text(encoding="utf-8")


def test_the_web_image_installs_govuk_frontend_where_the_console_serves_it() -> None:
    dockerfile = (DEPLOY / "Dockerfile.web").read_text(encoding="utf-8")
    served = GOVUK_DIST.relative_to(ROOT).as_posix()
    assert "RUN npm ci --omit=dev" in dockerfile and "COPY package.json package-lock.json" in dockerfile
    assert f"COPY --from=govuk /build/{served}/ {served}/" in dockerfile
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == package["dependencies"]["govuk-frontend"]


@pytest.mark.parametrize("image", IMAGES)
def test_every_image_has_the_sentence_encoder(image: str) -> None:
    assert "COPY --from=encoder /encoder/ models/all-MiniLM-L6-v2/" in (DEPLOY / f"Dockerfile.{image}").read_text(
        encoding="utf-8")


@pytest.mark.parametrize("image", IMAGES)
def test_every_image_builds_the_onnx_graph_it_runs(image: str) -> None:
    """The encoder stage writes model.onnx beside the weights, so the image runs ONNX Runtime, not the numpy pass."""
    dockerfile = (DEPLOY / f"Dockerfile.{image}").read_text(encoding="utf-8")
    assert "-r requirements-encoder.lock" in dockerfile and "python -m bot.nlp.onnx_graph /encoder" in dockerfile
    assert "onnxruntime" in _lock(image) and "onnx" not in _lock(image)


def test_the_encoder_build_lock_holds_the_graph_builder_only() -> None:
    assert set(_lock("encoder")) == {"onnx", "safetensors", "numpy", "protobuf"}
