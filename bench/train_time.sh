#!/usr/bin/env bash
# Time a full training of the Local Offer model into a temporary folder: `rasa train nlu`, then `rasa train`
# (NLU and dialogue), each from a cold cache. models/ and .rasa/ are never touched.
# Training takes both cores for minutes: run it on a quiet machine, and read the load average it prints.
#   bench/train_time.sh            # NLU, then the full model
#   bench/train_time.sh --nlu-only
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
RESULTS=bench/results
mkdir -p "$RESULTS"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1

work=$(mktemp -d /tmp/train-time-XXXXXX)
trap 'rm -rf "$work"' EXIT
csv="$RESULTS/train_time.csv"
[ -f "$csv" ] || echo "when,what,seconds,model_mb,cpus,loadavg_before,loadavg_after" >"$csv"

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

time_one() {  # name, then the rasa arguments
  local name=$1; shift
  local before after start end out="$work/$name"
  mkdir -p "$out"
  before=$(loadavg)
  echo "== $name: load average before $before"
  start=$(date +%s.%N)
  # A cache of its own, so nothing is reused from an earlier training (and .rasa/ is left alone).
  RASA_CACHE_DIRECTORY="$out/cache" "$VENV/bin/rasa" "$@" --out "$out" --fixed-model-name "$name" \
    >"$out/train.log" 2>&1 || { echo "$name failed; last lines:"; tail -20 "$out/train.log"; return 1; }
  end=$(date +%s.%N)
  after=$(loadavg)
  local seconds size
  seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.0f", b - a}')
  size=$(du -m "$out/$name.tar.gz" | cut -f1)
  echo "   $name: ${seconds} s, model ${size} MB; load average after $after"
  echo "$(date -Iseconds),$name,$seconds,$size,$(nproc),$before,$after" >>"$csv"
}

time_one train-nlu train nlu --nlu data/nlu
if [ "${1:-}" != "--nlu-only" ]; then
  time_one train-full train --data data/nlu data/rules
fi
echo "Appended to $csv"
