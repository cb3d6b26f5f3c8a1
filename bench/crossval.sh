#!/usr/bin/env bash
# Compare NLU pipelines with 5-fold cross-validation on the training data only (never the held-out set).
# Prints a table and writes bench/results/crossval.md. Usage: bench/crossval.sh [config ...]
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=${RASA:-.venv/bin/rasa}
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=3
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(bench/configs/*.yml)
mkdir -p bench/results/crossval
for config in "${configs[@]}"; do
  name=$(basename "$config" .yml)
  start=$(date +%s)
  "$RASA" test nlu --nlu "${NLU_DATA:-data/nlu}" --config "$config" --cross-validation --folds 5 \
    --out "bench/results/crossval/$name" >"bench/results/crossval/$name.log" 2>&1
  echo $(( $(date +%s) - start )) >"bench/results/crossval/$name.seconds"
  echo "$name done in $(cat "bench/results/crossval/$name.seconds") s"
done
.venv/bin/python bench/crossval_table.py
