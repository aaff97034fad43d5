#!/usr/bin/env bash
# Idempotent, incremental set-up. Each step runs only when its inputs changed
# (fingerprints in var/stamps/). Called by `make setup` (and so by run/test).
#   1. .venv from Python 3.10
#   2. dependencies from requirements.lock
#   3. the Norwegian spaCy pipeline installed as the package nb_parorende
#   4. the knowledge base loaded from knowledge/ into KB_URL
#   5. the Rasa model trained into var/models/ when config, domain, data or NLU code changed
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
STAMPS="$ROOT/var/stamps"
mkdir -p "$STAMPS" "$ROOT/var/models" "$ROOT/var/log"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# fingerprint FILES... -> sha256 over names and contents (sorted, missing files ignored)
fingerprint() {
  find "$@" -type f ! -name '*.pyc' ! -path '*/__pycache__/*' 2>/dev/null | LC_ALL=C sort |
    while read -r f; do printf '%s\n' "$f"; cat "$f"; done | sha256sum | cut -c1-64
}
changed() { # changed NAME HASH -> true if the stamp differs
  [ "$(cat "$STAMPS/$1" 2>/dev/null)" != "$2" ]
}
stamp() { printf '%s' "$2" > "$STAMPS/$1"; }

# 1. venv ------------------------------------------------------------------------
find_python310() {
  local c
  for c in "${PYTHON310:-}" python3.10 \
           "$(command -v pyenv >/dev/null 2>&1 && pyenv root 2>/dev/null)/versions/3.10"*/bin/python \
           "$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -n "$c" ] || continue
    if command -v "$c" >/dev/null 2>&1 &&
       "$c" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}
if ! [ -x "$PY" ] || ! "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
  if ! base=$(find_python310); then
    echo "Python 3.10 was not found (tried \$PYTHON310, python3.10 on PATH and pyenv's versions)." >&2
    echo "Install it, e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv'," >&2
    echo "or point PYTHON310 at a python3.10 binary, then run make again." >&2
    exit 1
  fi
  say "creating .venv from $base"
  rm -rf "$VENV"
  "$base" -m venv "$VENV"
  "$PY" -m pip install -q --upgrade "pip<25" wheel
  rm -f "$STAMPS/deps"
fi

# 2. dependencies ----------------------------------------------------------------
h=$(fingerprint requirements.lock)
if changed deps "$h"; then
  say "installing dependencies from requirements.lock (first time: a few minutes)"
  "$PY" -m pip install -q --disable-pip-version-check -r requirements.lock
  stamp deps "$h"
  rm -f "$STAMPS/nlp"
fi

# 3. Norwegian spaCy pipeline -> package nb_parorende -------------------------------
h=$(fingerprint bot/nlp/pipeline bot/nlp/pipeline_code scripts/build_nlp_package.py)
if changed nlp "$h" || ! "$PY" -c 'import nb_parorende' 2>/dev/null; then
  say "installing the Norwegian spaCy pipeline as package nb_parorende"
  "$PY" scripts/build_nlp_package.py
  stamp nlp "$h"
fi

# 3b. web widget bundle (bot/web/dist) ------------------------------------------------
h=$(fingerprint bot/web/package.json bot/web/package-lock.json bot/web/build.mjs \
    bot/web/tsconfig.json bot/web/widget)
if changed web "$h" || ! [ -f bot/web/dist/widget.js ]; then
  if command -v npm >/dev/null 2>&1; then
    say "building the web widget (npm ci && npm run build)"
    (cd bot/web && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run -s build)
    stamp web "$h"
  else
    say "npm not found: the web widget is not built (install Node.js 18+ and npm)"
  fi
fi

# 3c. Chromium for the widget's browser tests (only with --with-browser, i.e. make test)
if [ "${1:-}" = "--with-browser" ] && ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian's chromium for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
      > var/log/apt-chromium.log 2>&1 || say "chromium install failed (var/log/apt-chromium.log)"
  else
    say "chromium missing and not root: the browser tests will skip (apt-get install chromium)"
  fi
fi

# 4. knowledge base ---------------------------------------------------------------
if [ -d knowledge ] && [ -f knowledge/__main__.py ]; then
  "$PY" -m knowledge load
fi

# 5. Rasa model -------------------------------------------------------------------
h=$(fingerprint bot/config.yml bot/domain data bot/nlu "$STAMPS/nlp")
if changed model "$h" || ! [ -f var/models/parorende.tar.gz ]; then
  say "training the Rasa model (config, domain or data changed)"
  start=$(date +%s)
  "$VENV/bin/rasa" train --config bot/config.yml --domain bot/domain --data data \
      --out var/models --fixed-model-name parorende --force \
      > var/log/train.log 2>&1 || { tail -40 var/log/train.log >&2; exit 1; }
  say "model trained in $(( $(date +%s) - start )) s (log: var/log/train.log)"
  stamp model "$h"
fi
