"""A small process supervisor for `make run` (development and single-host demos; production
uses the platform's supervisor: systemd or Kubernetes).

    python scripts/supervise.py            # the action server, the Rasa server, the web front
    python scripts/supervise.py --config programs.json

- starts every program in its own process group, writes its output to
  ``var/log/<name>.log``, rotated daily and at ``LOG_MAX_BYTES`` (default 10 MB), keeping
  ``LOG_BACKUPS`` older files (default 5) and none older than ``RETENTION_DAYS`` (30), so
  the logs are covered by the same retention as the conversations (a bad ``RETENTION_DAYS``
  gives 30 with a warning here rather than no supervisor: the purge in the Rasa server fails
  on it loudly, and LOG_BACKUPS daily files bound the logs anyway); echoes it to the console;
- restarts a program that exits, with exponential backoff (1 s, 2 s, 4 s, ... at most
  ``RESTART_MAX_SECONDS``, default 60; back to 1 s after a minute of running), while the
  others keep serving;
- reports at once a program that exits, with its exit code and last log lines (the reason a
  program cannot start is there, e.g. a port in use or a missing model);
- prints the URLs once every program answers its health URL;
- Ctrl-C or SIGTERM stops everything cleanly (SIGINT to each program, then SIGKILL after
  ``STOP_TIMEOUT_SECONDS``, default 20).

A config file is a JSON list of ``{"name", "argv", "health"?, "env"?}``.
"""

from __future__ import annotations

import argparse
import collections
import json
import logging
import logging.handlers
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Deque, Dict, List, Optional

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as `python scripts/supervise.py`, without PYTHONPATH
    sys.path.insert(0, str(ROOT))
from bot.settings import env_float, env_int, retention_days  # noqa: E402  (stdlib only)

TAIL_LINES = 20
STABLE_SECONDS = 60.0


def default_programs() -> List[dict]:
    """The bot: action server, Rasa server, web front (ports and settings from the env)."""
    py = str(ROOT / ".venv" / "bin" / "python")
    env = os.environ
    bot_port, actions_port, web_port = (env.get("BOT_PORT", "5005"),
                                        env.get("ACTIONS_PORT", "5055"),
                                        env.get("WEB_PORT", "8080"))
    logging_config = ["--logging-config-file", "bot/privacy/logging.yml"]
    return [
        {"name": "actions",
         "argv": [py, "-m", "actions.server", "--actions", "actions", "--port", actions_port,
                  *logging_config],
         "health": f"http://127.0.0.1:{actions_port}/health"},
        # the Rasa HTTP API token (if any) is read by bot.serve from RASA_API_TOKEN or
        # RASA_API_TOKEN_FILE, never passed on the command line (review M8)
        {"name": "rasa",
         "argv": [py, "-m", "bot.serve", "run", "--model", "var/models/parorende.tar.gz",
                  "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml",
                  "--port", bot_port, "--cors", env.get("CORS_ORIGINS", ""),
                  *logging_config],
         "health": f"http://127.0.0.1:{bot_port}/"},
        {"name": "web", "argv": [py, "-m", "bot.web.server"],
         "health": f"http://127.0.0.1:{web_port}/healthz"},
    ]


class RetentionLogHandler(logging.handlers.RotatingFileHandler):
    """Rotates at a size and at each new day, and deletes rotated files older than the
    retention: a log line lives at most ``retention_days`` (in practice LOG_BACKUPS + 1
    days), like the conversation it may come from."""

    def __init__(self, path: Path, max_bytes: int, backups: int, retention_days: float,
                 clock=time.time) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        self.retention_seconds = retention_days * 86400
        self.clock = clock
        self.day = self._today()

    def _today(self) -> str:
        return time.strftime("%Y-%m-%d", time.localtime(self.clock()))

    def shouldRollover(self, record: logging.LogRecord) -> int:
        if self._today() != self.day:
            return 1
        return super().shouldRollover(record)

    def doRollover(self) -> None:
        super().doRollover()
        self.day = self._today()
        cutoff = self.clock() - self.retention_seconds
        base = Path(self.baseFilename)
        for old in base.parent.glob(base.name + ".*"):
            try:
                if old.stat().st_mtime < cutoff:
                    old.unlink()
            except OSError:
                pass


def rotating_log(name: str, log_dir: Path) -> logging.Logger:
    log_dir.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(f"supervise.{name}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = RetentionLogHandler(
        log_dir / f"{name}.log", env_int("LOG_MAX_BYTES", 10_000_000, minimum=0),
        env_int("LOG_BACKUPS", 5, minimum=0), retention_days(strict=False))
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.handlers[:] = [handler]
    return logger


class Program:
    def __init__(self, spec: dict, log_dir: Path, echo: bool) -> None:
        self.name: str = spec["name"]
        self.argv: List[str] = [str(a) for a in spec["argv"]]
        self.health: Optional[str] = spec.get("health")
        self.env = dict(os.environ, **{k: str(v) for k, v in (spec.get("env") or {}).items()})
        self.log = rotating_log(self.name, log_dir)
        self.echo = echo
        self.tail: Deque[str] = collections.deque(maxlen=TAIL_LINES)
        self.proc: Optional[subprocess.Popen] = None
        self.started = 0.0
        self.backoff = 1.0
        self.restart_at: Optional[float] = None
        self.starts = 0

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.started, self.restart_at = time.monotonic(), None
        self.starts += 1
        self.log.info("--- supervise: started %s (pid %s, start %d) ---", self.name,
                      self.proc.pid, self.starts)
        threading.Thread(target=self._copy, args=(self.proc,), daemon=True).start()

    def _copy(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.tail.append(line)
            self.log.info("%s", line)
            if self.echo:
                print(f"[{self.name}] {line}", flush=True)

    def healthy(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            return False
        if not self.health:
            return True
        try:
            with urllib.request.urlopen(self.health, timeout=1) as response:
                return 200 <= response.status < 300
        except Exception:  # noqa: BLE001 - not up yet
            return False

    def stop(self, timeout: float) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        except ProcessLookupError:
            pass


class Supervisor:
    def __init__(self, specs: List[dict], log_dir: Path, echo: bool = True) -> None:
        self.programs = [Program(spec, log_dir, echo) for spec in specs]
        self.max_backoff = env_float("RESTART_MAX_SECONDS", 60.0, minimum=1.0)
        self.stop_timeout = env_float("STOP_TIMEOUT_SECONDS", 20.0, minimum=0.0)
        self.stopping = threading.Event()
        self.announced = False

    def report(self, text: str) -> None:
        print(f"supervise: {text}", file=sys.stderr, flush=True)

    def _exited(self, program: Program, code: int) -> None:
        ran = time.monotonic() - program.started
        if ran >= STABLE_SECONDS:
            program.backoff = 1.0
        tail = "\n".join(f"    {line}" for line in list(program.tail)[-TAIL_LINES:])
        self.report(f"{program.name} exited with code {code} after {ran:.1f} s; restarting "
                    f"in {program.backoff:.0f} s. Last lines of var/log/{program.name}.log:"
                    f"\n{tail or '    (no output)'}")
        program.log.info("--- supervise: %s exited with code %s ---", program.name, code)
        program.restart_at = time.monotonic() + program.backoff
        program.backoff = min(self.max_backoff, program.backoff * 2)

    def run(self) -> int:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self.stopping.set())
        for program in self.programs:
            program.start()
        last_health = 0.0
        while not self.stopping.is_set():
            now = time.monotonic()
            for program in self.programs:
                if program.restart_at is not None:
                    if now >= program.restart_at:
                        program.start()
                    continue
                code = program.proc.poll() if program.proc else None
                if code is not None:
                    self._exited(program, code)
            if not self.announced and now - last_health > 1.0:
                last_health = now
                if all(p.healthy() for p in self.programs):
                    self.announced = True
                    self.announce()
            self.stopping.wait(0.2)
        self.report("stopping...")
        threads = [threading.Thread(target=p.stop, args=(self.stop_timeout,))
                   for p in self.programs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return 0

    def announce(self) -> None:
        names = ", ".join(p.name for p in self.programs)
        env = os.environ
        lines = [f"supervise: all running ({names})."]
        if {p.name for p in self.programs} >= {"rasa", "actions", "web"}:
            web, bot = env.get("WEB_PORT", "8080"), env.get("BOT_PORT", "5005")
            lines += [
                "",
                "  The bot is running.",
                f"    Widget demo:    http://localhost:{web}/   (young mode: "
                f"http://localhost:{web}/ung)",
                f"    REST:           POST http://localhost:{bot}/webhooks/rest/webhook",
                '                    {"sender": "me", "message": "Hva er avlastning?"}',
                '    Young mode:     add "metadata": {"mode": "ung"} to the message',
                "  Logs in var/log/ (rotated). Ctrl-C stops it.",
                "",
            ]
        print("\n".join(lines), flush=True)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", help="JSON list of programs (default: the bot)")
    parser.add_argument("--log-dir", default=str(ROOT / "var" / "log"))
    parser.add_argument("--quiet", action="store_true", help="do not echo program output")
    args = parser.parse_args(argv)
    specs: List[Dict] = (json.loads(Path(args.config).read_text(encoding="utf-8"))
                         if args.config else default_programs())
    return Supervisor(specs, Path(args.log_dir), echo=not args.quiet).run()


if __name__ == "__main__":
    sys.exit(main())
