"""Start the real action server and Rasa server as subprocesses (for e2e tests and benches)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, Optional, Set

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "var" / "models" / "parorende.tar.gz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited ({proc.returncode}); log:\n"
                               + log.read_text(errors="replace")[-3000:])
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout} s; log:\n"
                       + log.read_text(errors="replace")[-3000:])


def _stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def _start_actions(port: int, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "python"), "-m", "actions.server", "--actions", "actions",
         "--port", str(port), "--logging-config-file", "bot/privacy/logging.yml"],
        cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT,
    )


class Servers:
    def __init__(self, bot_url: str, actions_url: str, logs: Dict[str, Path],
                 procs: Dict[str, subprocess.Popen], env: Optional[dict] = None,
                 actions_port: int = 0) -> None:
        self.bot_url = bot_url
        self.actions_url = actions_url
        self.logs = logs
        self.procs = procs
        self.env = dict(env or {})
        self.actions_port = actions_port
        self.exit_codes: Dict[str, Optional[int]] = {}

    def stop_actions(self) -> None:
        """Stops the action server (to test graceful degradation)."""
        self.exit_codes["actions"] = _stop(self.procs["actions"])

    def restart_actions(self, extra_env: Optional[dict] = None) -> None:
        """Restarts the action server on the same port, with `extra_env` over the bot's
        environment (e.g. an unreachable KB_URL); the Rasa server keeps running."""
        self.stop_actions()
        env = dict(self.env, **(extra_env or {}))
        self.procs["actions"] = _start_actions(self.actions_port, env, self.logs["actions"])
        _wait(f"{self.actions_url}/health", self.procs["actions"], self.logs["actions"], 120)
        self.exit_codes.pop("actions", None)

    def rest(self, message: str, sender: str, metadata: Optional[dict] = None) -> list:
        payload = {"sender": sender, "message": message}
        if metadata is not None:
            payload["metadata"] = metadata
        r = requests.post(f"{self.bot_url}/webhooks/rest/webhook", json=payload, timeout=30)
        r.raise_for_status()
        return r.json()


@contextmanager
def running_bot(workdir: Path, kb_url: str, extra_env: Optional[dict] = None,
                actions_port: Optional[int] = None) -> Iterator[Servers]:
    """Action server + Rasa server on free ports (the action server on `actions_port` when
    given, e.g. behind a FaultProxy named in extra_env's ACTION_ENDPOINT_URL); tracker store
    in `workdir` unless extra_env names another TRACKER_URL."""
    if not MODEL.exists():
        raise FileNotFoundError(f"{MODEL} missing: run `make setup` first")
    bot_port, actions_port = free_port(), actions_port or free_port()
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "KB_URL": kb_url,
            "TRACKER_URL": f"sqlite:///{workdir / 'tracker.db'}",
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
            "BOT_PORT": str(bot_port),
            "ACTIONS_PORT": str(actions_port),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SANIC_REQUEST_MAX_SIZE": env.get("SANIC_REQUEST_MAX_SIZE", "65536"),
        }
    )
    env.update(extra_env or {})
    logs = {"actions": workdir / "actions.log", "rasa": workdir / "rasa.log"}
    actions = _start_actions(actions_port, env, logs["actions"])
    rasa = subprocess.Popen(
        [str(VENV_BIN / "python"), "-m", "bot.serve", "run", "--model", str(MODEL),
         "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml",
         "--port", str(bot_port), "--interface", "127.0.0.1",
         "--logging-config-file", "bot/privacy/logging.yml"],
        cwd=ROOT, env=env, stdout=logs["rasa"].open("w"), stderr=subprocess.STDOUT,
    )
    servers = Servers(f"http://127.0.0.1:{bot_port}", f"http://127.0.0.1:{actions_port}", logs,
                      {"actions": actions, "rasa": rasa}, env, actions_port)
    try:
        _wait(f"{servers.actions_url}/health", actions, logs["actions"], 120)
        _wait(f"{servers.bot_url}/", rasa, logs["rasa"], 240)
        yield servers
    finally:
        servers.exit_codes["rasa"] = _stop(rasa)
        servers.exit_codes["actions"] = _stop(servers.procs["actions"])


# The shared end-to-end bot (fixture `bot` in tests/conftest.py) is configured for every
# e2e test at once: the SMS channel on, a fixed "now" (a Tuesday evening, so hand-over cards
# show their opening state), CORS for the demo front, Redis locks when Redis runs.
SMS_AUTH_TOKEN = "e2e-auth-token-0123456789abcdef"
SMS_SENDER_SECRET = "e2e-sender-secret-0123456789abcdef"
HANDOVER_NOW = "2026-11-24T18:00:00+01:00"
REDIS_LOCKS = "redis://127.0.0.1:6379/6"


def shared_bot_env(web_url: str, redis: bool) -> dict:
    env = {"SMS_AUTH_TOKEN": SMS_AUTH_TOKEN, "SMS_SENDER_SECRET": SMS_SENDER_SECRET,
           "SMS_PUBLIC_URL": "", "SMS_RATE_LIMIT_PER_MIN": "30",
           "HANDOVER_NOW": HANDOVER_NOW, "CORS_ORIGINS": web_url,
           # every e2e test talks from 127.0.0.1: the per-address limit has its own bot in
           # tests/e2e/test_rest.py
           "RATE_LIMIT_PER_IP_PER_MIN": "0"}
    if redis:
        env["LOCK_STORE_URL"] = REDIS_LOCKS
    return env


class FaultProxy:
    """A TCP proxy in front of a real server (PostgreSQL, the action server, ...) whose
    behaviour a test switches while connections are open (fault injection):

    - ``"pass"``: forwards both ways;
    - ``"slow"``: forwards each chunk after ``delay`` seconds;
    - ``"hang"``: accepts connections and data but forwards nothing, ever (a hung peer);
    - ``"down"``: closes open connections and every new one at once (a crashed peer).

    Runs its own event loop in a thread, so blocking code and subprocesses can use it."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, port)
        self.mode, self.delay = "pass", 0.0
        self._loop = asyncio.new_event_loop()
        self._writers: Set[asyncio.StreamWriter] = set()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        ready.wait(10)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        self._loop.run_forever()

    def set(self, mode: str, delay: float = 0.0) -> None:
        assert mode in ("pass", "slow", "hang", "down"), mode
        self.mode, self.delay = mode, delay
        if mode == "down":
            self._loop.call_soon_threadsafe(self._close_all)

    def _close_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                while self.mode == "hang":
                    await asyncio.sleep(0.05)
                if self.mode == "slow":
                    await asyncio.sleep(self.delay)
                if self.mode == "down":
                    break
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "down":
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        try:
            await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))
        finally:
            self._writers.difference_update((writer, up_writer))

    def close(self) -> None:
        def stop() -> None:
            self._server.close()
            self._close_all()
            self._loop.stop()

        self._loop.call_soon_threadsafe(stop)
        self._thread.join(5)

    def __enter__(self) -> "FaultProxy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# python-socketio's clients over long-polling wait up to 30 s in disconnect() for their read
# loop (measured against this server: connect 0.01 s, disconnect 30 s). The tests do not need
# that wait: the disconnect packets are sent at once, the wait is cut short.
async def close_socketio(sio) -> None:
    """Disconnect an ``AsyncClient`` without waiting for its long-poll to end."""
    try:
        await asyncio.wait_for(sio.disconnect(), 1.0)
    except asyncio.TimeoutError:
        pass


def close_socketio_sync(sio) -> None:
    """Disconnect a ``socketio.Client`` without waiting for its long-poll to end."""
    threading.Thread(target=sio.disconnect, daemon=True).start()
