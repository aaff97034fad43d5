#!/usr/bin/env bash
# Starts the action server, the Rasa server and the web front under the supervisor
# (scripts/supervise.py): a crashed process is restarted with backoff while the others keep
# serving, output goes to var/log/<name>.log (rotated); Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log
exec .venv/bin/python scripts/supervise.py "$@"
