#!/usr/bin/env bash
# Starts the action server and the Rasa server; prints the URLs; Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv/bin
mkdir -p var/log
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$VENV/rasa" run actions --actions actions --port "$ACTIONS_PORT" \
  --logging-config-file bot/privacy/logging.yml \
  > >(tee -a var/log/actions.log) 2>&1 &
pids+=($!)
# Rasa's HTTP API stays off unless RASA_API_TOKEN is set; then it requires that token.
api=()
[ -n "${RASA_API_TOKEN:-}" ] && api=(--enable-api --auth-token "$RASA_API_TOKEN")
"$VENV/python" -m bot.serve run "${api[@]}" --model var/models/parorende.tar.gz --endpoints bot/endpoints.yml \
  --credentials bot/credentials.yml --port "$BOT_PORT" --cors "$CORS_ORIGINS" \
  --logging-config-file bot/privacy/logging.yml \
  > >(tee -a var/log/rasa.log) 2>&1 &
pids+=($!)

"$VENV/python" -m bot.web.server > >(tee -a var/log/web.log) 2>&1 &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fs "http://localhost:$BOT_PORT/" >/dev/null 2>&1 &&
     curl -fs "http://localhost:$ACTIONS_PORT/health" >/dev/null 2>&1 &&
     curl -fs "http://localhost:$WEB_PORT/healthz" >/dev/null 2>&1; then
    cat <<TXT

  The bot is running.
    Widget demo:    http://localhost:$WEB_PORT/   (young mode: http://localhost:$WEB_PORT/ung)
    REST:           POST http://localhost:$BOT_PORT/webhooks/rest/webhook
                    {"sender": "me", "message": "Hva er avlastning?"}
    Young mode:     add "metadata": {"mode": "ung"} to the message
    Action server:  http://localhost:$ACTIONS_PORT/health
  Ctrl-C stops it.

TXT
    break
  fi
  sleep 1
done
wait -n "${pids[@]}"
