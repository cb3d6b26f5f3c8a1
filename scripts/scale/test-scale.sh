#!/usr/bin/env bash
# make test-scale: the replicated tier (two action servers on 5155/5156, two Rasa servers on 5105/5106 with
# a PostgreSQL tracker store and a Redis lock store on its own redis-server at 6390, nginx on 8780 when
# installed) and the fault tests. tests/scale/tier.py creates the local_offer_scale_* databases, starts and
# stops every server; this script checks what they need first and, whatever happens, stops any server
# pytest left behind (by the pids the harness recorded, never by name).
set -uo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-.venv}
PIDS=var/log/scale/pids
mkdir -p var/log/scale
: > "$PIDS"

cleanup() {
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "Stopping $name ($pid), left behind by the tests"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
    fi
  done < "$PIDS"
}
trap cleanup EXIT INT TERM

missing=()
pg_isready -q -h 127.0.0.1 -p 5432 || missing+=("PostgreSQL on 127.0.0.1:5432")
command -v redis-server >/dev/null || missing+=("redis-server (apt-get install redis-server)")
[ -f models/local-offer.tar.gz ] || missing+=("the trained model (make model)")
for port in 5105 5106 5155 5156 6390 8780; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then missing+=("port $port free (something listens there)"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  printf 'The scale tier cannot run; it needs:\n'; printf '  - %s\n' "${missing[@]}"; exit 1
fi
if ! command -v nginx >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's nginx-light for the nginx test..."
  (apt-get install -y -qq nginx-light >/dev/null 2>&1) || true   # Debian's policy-rc.d keeps it from starting
fi
command -v nginx >/dev/null || echo "nginx is not installed: the nginx test will be skipped (apt-get install nginx-light)."

# Replicas first, then nginx, then the faults (which kill and restart servers). Arguments replace the list.
tests=(tests/scale/test_replicas.py tests/scale/test_nginx.py tests/scale/test_faults.py)
[ $# -gt 0 ] && tests=("$@")
SCALE_TIER=1 SCALE_REQUIRED=1 "$VENV/bin/python" -m pytest -q "${tests[@]}"
