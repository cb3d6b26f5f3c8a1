#!/usr/bin/env bash
# Start the action server (:5055), Rasa (:5005, REST channel) and the web server (:8000) together.
# One Ctrl-C stops all three. Called by `make run` after set-up.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export RASA_TELEMETRY_ENABLED=false
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://localhost:5055/webhook}
export TRACKER_STORE_URL=${TRACKER_STORE_URL:-sqlite:///$PWD/var/tracker.db}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
RASA_PORT=${RASA_PORT:-5005}
WEB_PORT=${WEB_PORT:-8000}
CORS=${RASA_CORS:-"http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT"}
mkdir -p var/log

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  exit 0
}
trap stop INT TERM EXIT

"$VENV/bin/rasa" run actions --port "$ACTIONS_PORT" --actions actions >var/log/actions.log 2>&1 &
pids+=($!)

api_args=()
if [ -n "${RASA_TOKEN:-}" ]; then
  api_args=(--enable-api --auth-token "$RASA_TOKEN")   # the HTTP API only ever with a token
fi
# shellcheck disable=SC2086
"$VENV/bin/rasa" run --model models/local-offer.tar.gz --port "$RASA_PORT" --endpoints endpoints.yml \
  --credentials credentials.yml --cors $CORS "${api_args[@]}" >var/log/rasa.log 2>&1 &
pids+=($!)

"$VENV/bin/python" -m bot web --port "$WEB_PORT" >var/log/web.log 2>&1 &
pids+=($!)

wait_for() {  # name url seconds
  for _ in $(seq 1 "$3"); do
    if curl -fs -o /dev/null "$2"; then return 0; fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "$1 stopped; see var/log/"; return 1; }; done
    sleep 1
  done
  echo "$1 did not start in $3 s; see var/log/"; return 1
}
echo "Starting (Rasa takes about 30 s)..."
wait_for "The action server" "http://localhost:$ACTIONS_PORT/health" 60 &&
wait_for "Rasa" "http://localhost:$RASA_PORT/" 180 &&
wait_for "The web server" "http://localhost:$WEB_PORT/health" 30 || stop
cat <<TXT

The Local Offer assistant is running:
  Web page with the chat box:  http://localhost:$WEB_PORT/
  Staff console:               http://localhost:$WEB_PORT/console/  (first user: .venv/bin/python -m bot user add NAME --role admin)
  Rasa REST channel:           http://localhost:$RASA_PORT/webhooks/rest/webhook
  Action server:               http://localhost:$ACTIONS_PORT/health
Logs are in var/log/. Press Ctrl-C to stop everything.
TXT
wait -n "${pids[@]}"
echo "A server stopped unexpectedly; see var/log/."
stop
