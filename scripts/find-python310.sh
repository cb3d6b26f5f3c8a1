#!/usr/bin/env bash
# Print a Python 3.10 interpreter (Rasa 3.6 needs Python < 3.11), trying the usual places in turn.
set -euo pipefail
try() { "$@" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && "$@" -c 'import sys; print(sys.executable)'; }
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -V -r); do
    PYENV_VERSION=$v try pyenv exec python && exit 0
  done
fi
for candidate in python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  command -v "$candidate" >/dev/null 2>&1 && try "$candidate" && exit 0
done
if command -v uv >/dev/null 2>&1; then
  uv python install 3.10 >/dev/null 2>&1 && try "$(uv python find 3.10)" && exit 0
fi
echo "No Python 3.10 found. Install one (pyenv install 3.10, apt install python3.10, or uv python install 3.10)." >&2
exit 1
