"""scripts/supervise.py with small real programs (HTTP servers, one that cannot start): a
killed program comes back while another keeps answering, a program that cannot start is
reported at once with its last lines, logs rotate, SIGTERM stops everything."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import requests

from tests.servers import ROOT, free_port


def _wait_for(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except (requests.RequestException, OSError, ValueError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s")


def _server(name: str, port: int) -> dict:
    return {"name": name, "health": f"http://127.0.0.1:{port}/",
            "argv": [sys.executable, "-u", "-m", "http.server", str(port), "--bind",
                     "127.0.0.1"]}


def test_a_killed_program_comes_back_while_the_other_keeps_serving(tmp_path):
    one, two = free_port(), free_port()
    noisy = {"name": "noisy", "argv": [sys.executable, "-u", "-c",
                                       "import time\nwhile True:\n print('x' * 200)\n"
                                       " time.sleep(0.001)"]}
    broken = {"name": "broken", "argv": [sys.executable, "-c",
                                         "import sys; print('port 5005 is already in use'); "
                                         "sys.exit(3)"]}
    config = tmp_path / "programs.json"
    config.write_text(json.dumps([_server("one", one), _server("two", two), noisy, broken]))
    env = dict(os.environ, LOG_MAX_BYTES="20000", LOG_BACKUPS="2", RESTART_MAX_SECONDS="4")
    sup = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "supervise.py"), "--config",
                            str(config), "--log-dir", str(tmp_path / "log"), "--quiet"],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        _wait_for(lambda: requests.get(f"http://127.0.0.1:{one}/", timeout=1).ok)
        _wait_for(lambda: requests.get(f"http://127.0.0.1:{two}/", timeout=1).ok)
        pid = int(_wait_for(lambda: _pid_listening(one)))
        os.kill(pid, signal.SIGKILL)
        down_seen, two_ok = False, 0
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{one}/", timeout=0.5)
                if down_seen:
                    break
            except requests.RequestException:
                down_seen = True
            two_ok += requests.get(f"http://127.0.0.1:{two}/", timeout=1).ok
            time.sleep(0.1)
        assert down_seen and two_ok > 0
        assert requests.get(f"http://127.0.0.1:{one}/", timeout=1).ok  # restarted
        assert _pid_listening(one) != str(pid)
    finally:
        sup.send_signal(signal.SIGTERM)
        out, err = sup.communicate(timeout=30)
    assert sup.returncode == 0
    # reported at once, with the reason from its own output, and retried with backoff
    assert "broken exited with code 3" in err and "port 5005 is already in use" in err
    assert "one exited with code -9" in err
    # every program's output is in its own rotated log; nothing is left running
    logs = sorted(p.name for p in (tmp_path / "log").iterdir())
    assert {"one.log", "two.log", "noisy.log", "noisy.log.1", "noisy.log.2"} <= set(logs)
    assert "noisy.log.3" not in logs
    assert all((tmp_path / "log" / n).stat().st_size <= 21000 for n in logs)
    for port in (one, two):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=0.5)
            raise AssertionError(f"port {port} still served after stop")
        except requests.RequestException:
            pass


def _pid_listening(port: int) -> str:
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True,
                         text=True).stdout
    return out.split("pid=")[1].split(",")[0] if "pid=" in out else ""


def test_logs_rotate_daily_and_keep_nothing_older_than_the_retention(tmp_path):
    """A new day starts a new file, and on rotation files older than RETENTION_DAYS go: the
    logs are covered by the same retention as the conversations (issue #20, review M3)."""
    import importlib.util
    import logging

    spec = importlib.util.spec_from_file_location("supervise", ROOT / "scripts" / "supervise.py")
    supervise = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(supervise)
    now = [time.mktime((2026, 12, 6, 12, 0, 0, 0, 0, -1))]
    path = tmp_path / "rasa.log"
    stale = tmp_path / "rasa.log.9"
    stale.write_text("a line from long ago\n")
    old = now[0] - 40 * 86400
    os.utime(stale, (old, old))
    handler = supervise.RetentionLogHandler(path, 10_000_000, 10, 30, clock=lambda: now[0])
    handler.setFormatter(logging.Formatter("%(message)s"))

    def emit(text: str) -> None:
        handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, text, None, None))

    emit("monday")
    assert not (tmp_path / "rasa.log.1").exists()
    now[0] += 86400  # the next day
    emit("tuesday")
    handler.close()
    assert (tmp_path / "rasa.log.1").read_text() == "monday\n"
    assert path.read_text() == "tuesday\n"
    assert not any("long ago" in f.read_text() for f in tmp_path.iterdir())
