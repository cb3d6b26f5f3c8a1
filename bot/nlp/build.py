"""Build the spaCy pipeline Rasa's SpacyNLP loads: a blank English tokenizer, a lookup lemmatizer and an
entity ruler whose patterns come from the Local Offer content (areas, needs, service categories).

Why from content: the same YAML that feeds directory search feeds entity recognition, so an officer who
adds a village or a synonym changes both, and the two can never disagree.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

if TYPE_CHECKING:
    from spacy.pipeline import EntityRuler

LABELS = {"district": "district", "quadrant": "quadrant", "need": "need", "category": "service_category",
          "outside": "outside_area"}
QUADRANT_PHRASES = {
    "north_east": ["north east essex", "north-east essex", "ne essex"],
    "mid": ["mid essex"],
    "south": ["south essex"],
    "west": ["west essex"],
}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def collect_phrases(content: Path) -> list[tuple[str, str, str]]:
    """(phrase, entity label, canonical code) for every name in the content files."""
    phrases: list[tuple[str, str, str]] = []
    areas = _load(content / "areas.yml") or {}
    for district in areas.get("districts", []):
        code = district["code"]
        for name in [district["name"], code.replace("_", " "), *district.get("places", [])]:
            phrases.append((str(name).lower(), LABELS["district"], code))
    for quadrant in areas.get("quadrants", []):
        for name in [quadrant.get("name", ""), *quadrant.get("names", [])]:
            if name:
                phrases.append((str(name).lower(), LABELS["quadrant"], quadrant["code"]))
    for code, names in QUADRANT_PHRASES.items():
        phrases.extend((name, LABELS["quadrant"], code) for name in names)
    for area in (_load(content / "outside_areas.yml") or {}).get("areas", []):
        for name in [area["name"], *area.get("names", [])]:
            phrases.append((str(name).lower(), LABELS["outside"], area["code"]))
    taxonomy = _load(content / "taxonomy.yml") or {}
    for key, kind in (("categories", "category"), ("needs", "need")):
        for term in taxonomy.get(key, []):
            for name in [term["name"], term["code"].replace("_", " "), *term.get("synonyms", [])]:
                phrases.append((str(name).lower(), LABELS[kind], term["code"]))
    return sorted(set(phrases))


def build_pipeline(content: Path, output: Path) -> Path:
    """Build and save the pipeline; a fingerprint of its inputs is saved beside it for `make`."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data before patterns are processed
    ruler = cast("EntityRuler", nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER",
                                                                      "overwrite_ents": True}))
    phrases = collect_phrases(content)
    # A phrase shared by a need and a category (e.g. "autism") is kept as a need: families name the need,
    # and directory search accepts either tag for it.
    priority = {"outside_area": 0, "district": 1, "quadrant": 2, "need": 3, "service_category": 4}
    chosen: dict[str, tuple[str, str]] = {}
    for phrase, label, code in phrases:
        if phrase not in chosen or priority[label] < priority[chosen[phrase][0]]:
            chosen[phrase] = (label, code)
    ruler.add_patterns([{"label": label, "pattern": phrase, "id": code} for phrase, (label, code) in chosen.items()])
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    digest = hashlib.sha256(json.dumps(sorted(chosen.items())).encode()).hexdigest()
    (output / "patterns.sha256").write_text(digest + "\n", encoding="utf-8")
    return output
