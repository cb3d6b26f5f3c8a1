"""Import every project module an image can reach, to prove its lock file is enough.

Why: an image's lock (requirements-actions.lock, requirements-web.lock) is derived from a list of the packages
its code imports; a missed one would only show when a family's message reaches that code. This follows every
import statement (also those inside functions) from the entry modules through bot/, then imports each module
found, in whatever Python runs it, e.g. a throwaway venv made from the lock alone:

    python deploy/import_check.py actions            # the action server's modules
    python deploy/import_check.py web                # the web app and its command line

Exit status 1 lists every module that failed to import and why.
"""
from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ("bot", "actions", "channels", "components")
# `bot.__main__` runs the command line when imported; `bot.cli.main` is what it runs.
NEVER_IMPORT = {"bot.__main__"}
ENTRIES = {
    "actions": ["actions." + p.stem for p in sorted((ROOT / "actions").glob("*.py"))],
    "web": ["bot.web", "bot.web.public", "bot.web.api", "bot.cli.main", "bot.cli.staff",
            *("bot.web.console." + p.stem for p in sorted((ROOT / "bot" / "web" / "console").glob("*.py")))],
}
# Reached from the command line, but only run on a developer's machine, never in the web image: building the
# spaCy pipeline, the first-name lists and the model evaluations need Rasa, spaCy or scikit-learn.
NOT_IN_WEB = {"bot.nlp.build", "bot.privacy.make_name_lists", "bot.nlp.intent_model", "bot.insight.evaluation",
              "bot.answers.evaluation"}


def _file(module: str) -> Path | None:
    base = ROOT / module.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.exists():
            return path
    return None


def reachable(entries: list[str], skip: set[str]) -> list[str]:
    """Project modules reachable from `entries` by any import statement, without those in `skip`."""
    seen: set[str] = set()
    todo = list(entries)
    while todo:
        module = todo.pop()
        path = _file(module)
        if module in seen or module in skip or module in NEVER_IMPORT or path is None:
            continue
        seen.add(module)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            for name in names:
                if name.split(".")[0] in OURS:
                    parts = name.split(".")
                    todo.extend(".".join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(seen)


def main(argv: list[str]) -> int:
    image = argv[0] if argv else "actions"
    skip = NOT_IN_WEB if image == "web" else set()
    sys.path.insert(0, str(ROOT))
    failed = []
    modules = reachable(ENTRIES[image], skip)
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception as error:  # noqa: BLE001 - report every failure, not the first
            failed.append(f"{module}: {type(error).__name__}: {error}")
    print(f"{image}: imported {len(modules) - len(failed)} of {len(modules)} project modules")
    for line in failed:
        print("  FAILED", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
