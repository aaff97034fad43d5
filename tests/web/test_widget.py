"""Browser tests of the web chat widget (tests/web/widget.spec.mjs) against the real bot.

Uses the shared action server and Rasa server (fixture `bot`: socket.io channel from
bot/credentials.yml, CORS for the front's port, a fixed "now" on a Tuesday evening so the
hand-over cards show their opening state), starts the demo front (bot/web/server.py), then
runs the node:test spec in Debian's Chromium through playwright-core, with axe-core.
Screenshots go to var/screenshots/; UPDATE_SCREENSHOTS=1 also refreshes the committed ones
in docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.servers import MODEL, ROOT, _stop

pytestmark = pytest.mark.e2e

WEB = ROOT / "bot" / "web"
SPEC = Path(__file__).with_name("widget.spec.mjs")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHANNEL = "bot.web.channel.SocketIOInput"


def _skip_or_fail_without_tools() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing: set-up installs it (apt-get install -y chromium)")
    if shutil.which("node") is None:
        pytest.skip("node missing: the browser tests need Node.js 20")
    for need in ("node_modules/playwright-core", "node_modules/axe-core", "dist/widget.js"):
        if not (WEB / need).exists():
            pytest.fail(f"bot/web/{need} missing: run `npm ci && npm run build` in bot/web")
    if CHANNEL not in (ROOT / "bot" / "credentials.yml").read_text(encoding="utf-8"):
        pytest.fail(f"bot/credentials.yml must use the fixed socket.io channel {CHANNEL} "
                    "(Rasa 3.6.21's own drops every reply with session_persistence; "
                    "see bot/web/channel.py)")
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: `make setup` trains it")


def test_widget_in_chromium(tmp_path, request):
    _skip_or_fail_without_tools()
    bot = request.getfixturevalue("bot")  # after the tool checks: a skip starts no servers
    web_port = bot.web_port
    web_url = f"http://127.0.0.1:{web_port}"
    env = dict(os.environ, WEB_PORT=str(web_port), WEB_HOST="127.0.0.1",
               BOT_PUBLIC_URL=bot.bot_url, PYTHONPATH=str(ROOT))
    env.pop("WIDGET_EXIT_URL", None)
    front_log = tmp_path / "front.log"
    front = subprocess.Popen([sys.executable, "-m", "bot.web.server"], cwd=ROOT, env=env,
                             stdout=front_log.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{web_url}/healthz", timeout=1).json()["widget_built"]:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or front.poll() is not None:
                pytest.fail("demo front did not start:\n" + front_log.read_text())
            time.sleep(0.3)
        forget_log = tmp_path / "sessions.json"
        spec_env = dict(os.environ, WIDGET_URL=web_url, CHROMIUM=CHROMIUM,
                        SCREENSHOT_DIR=str(ROOT / "var" / "screenshots"),
                        WIDGET_NODE_MODULES=str(WEB / "node_modules"),
                        FORGET_LOG=str(forget_log))
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            spec_env["DOCS_SCREENSHOT_DIR"] = str(ROOT / "docs" / "screenshots")
        run = subprocess.run(
            ["node", "--test", "--test-reporter=spec", str(SPEC)],
            cwd=ROOT, env=spec_env, capture_output=True, text=True, timeout=170,
        )
    finally:
        _stop(front)
    out = run.stdout + run.stderr
    print(out)
    assert run.returncode == 0, out[-6000:] + "\n--- rasa log ---\n" + bot.logs["rasa"].read_text(
        errors="replace")[-3000:]
    assert "ℹ fail 0" in out and "ℹ pass" in out, out[-3000:]
    _check_server_deletion(bot, json.loads(forget_log.read_text()))


def _check_server_deletion(bot, sessions: dict) -> None:
    """«Slett samtalen» (socket.io forget) and «Rask utgang» (the beacon) left no rows of
    their conversations in the server's tracker DB; conversations not deleted still have
    theirs (the control: the query finds rows when there are some)."""
    from tests.e2e.test_forget import rows, wait_rows

    assert len(sessions["cleared"]) == 2 and len(sessions["exited"]) == 2, sessions
    for sid in sessions["kept"]:
        assert wait_rows(bot, sid), f"control conversation {sid} has no rows"
    # «Slett» waited for the server's ack: its rows are gone already
    for sid in sessions["cleared"]:
        assert rows(bot, sid) == 0, f"cleared conversation {sid} still on the server"
    # the beacon is sent while the page goes away: give it a moment to arrive
    deadline = time.monotonic() + 10
    while any(rows(bot, sid) for sid in sessions["exited"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    for sid in sessions["exited"]:
        assert rows(bot, sid) == 0, f"quick-exited conversation {sid} still on the server"
