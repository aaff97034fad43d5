"""Retention (review M3): events are purged by their own age, on SQLite and PostgreSQL, by the
CLI and by the schedule inside the running server."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from bot.privacy import purge as purge_module
from bot.privacy.purge import main, purge, run_schedule
from tests.conftest import ROOT

DAY = 86400.0
NOW = 1_800_000_000.0


def _session(age_days: float, text: str) -> list:
    """One Rasa session (as the tracker store writes it) that happened age_days ago."""
    t = NOW - age_days * DAY
    return [ActionExecuted("action_session_start", timestamp=t),
            SessionStarted(timestamp=t + 0.001),
            ActionExecuted("action_listen", timestamp=t + 0.002),
            UserUttered(text, {"name": "avlastning", "confidence": 1.0}, timestamp=t + 1),
            BotUttered("Svar.", timestamp=t + 2)]


# conversation -> ages (days) of its sessions; the newest session last
CONVERSATIONS = {
    "mixed": [100, 45, 31, 29.5, 2],  # an active, long conversation: the old sessions go
    "old": [90, 45],  # all gone
    "new": [1],  # all kept
    "edge": [30.01, 29.99],  # around the limit
}


def _table(schema=None) -> sa.Table:
    return SQLTrackerStore.SQLEvent.__table__.to_metadata(sa.MetaData(), schema=schema)


def _fabricate(url: str, prefix: str, schema=None) -> None:
    engine = sa.create_engine(url)
    events = _table(schema)
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        for name, ages in CONVERSATIONS.items():
            for age in ages:
                for event in _session(age, f"økt for {age} dager siden"):
                    conn.execute(events.insert().values(
                        sender_id=prefix + name, type_name=event.type_name,
                        timestamp=event.timestamp, intent_name=None, action_name=None,
                        data=json.dumps(event.as_dict())))
    engine.dispose()


def _ages(url: str, prefix: str, schema=None, now: float = NOW) -> dict:
    """conversation -> sorted ages (days, rounded) of the user messages left."""
    engine = sa.create_engine(url)
    events = _table(schema)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.sender_id, events.c.timestamp)
                            .where(events.c.sender_id.like(prefix + "%"))
                            .where(events.c.type_name == "user")).all()
    engine.dispose()
    out: dict = {}
    for sender, ts in rows:
        out.setdefault(sender[len(prefix):], []).append(round((now - ts + 1) / DAY, 2))
    return {k: sorted(v, reverse=True) for k, v in out.items()}


def _check(url: str, prefix: str, schema=None) -> None:
    _fabricate(url, prefix, schema)
    n_all = 5 * sum(len(a) for a in CONVERSATIONS.values())
    dry = purge(url, 30, now=NOW, dry_run=True, schema=schema)
    assert _ages(url, prefix, schema)["mixed"] == [100, 45, 31, 29.5, 2]  # nothing deleted
    result = purge(url, 30, now=NOW, schema=schema, batch=4)  # several batches
    assert (dry.conversations, dry.events) == (result.conversations, result.events)
    # mixed: 100, 45, 31; old: 90, 45; edge: 30.01 -> 6 sessions of 5 events each
    assert (result.conversations, result.events) == (3, 30)
    assert _ages(url, prefix, schema) == {"mixed": [29.5, 2], "new": [1], "edge": [29.99]}
    # shorter retention; then idempotent
    assert purge(url, 1.5, now=NOW, schema=schema).events == 15
    assert _ages(url, prefix, schema) == {"new": [1]}
    assert purge(url, 1.5, now=NOW, schema=schema).events == 0
    assert n_all - 45 == 5  # what is left: the one session of "new"


def test_purge_by_event_age_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'tracker.db'}", "")


def test_purge_by_event_age_postgres(pg_url):
    # an own schema: other tests' rows in the shared database's `events` are never touched
    schema = f"purge_test_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        _check(pg_url, "", schema)
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def test_rasa_reads_what_is_left(tmp_path):
    """After the purge the active conversation still loads, with its recent sessions only."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    _fabricate(url, "")
    purge(url, 30, now=NOW)
    store = SQLTrackerStore(host=url)
    tracker = asyncio.run(store.retrieve_full_tracker("mixed"))
    texts = [e.text for e in tracker.events if isinstance(e, UserUttered)]
    assert texts == ["økt for 29.5 dager siden", "økt for 2 dager siden"]
    assert asyncio.run(store.retrieve("old")) is None


def test_sqlite_deleted_text_is_not_left_in_the_file(tmp_path):
    path = tmp_path / "tracker.db"
    url = f"sqlite:///{path}"
    _fabricate(url, "")
    assert b"for 100 dager siden" in path.read_bytes()
    purge(url, 30, now=NOW, vacuum=False)  # the schedule's way: secure_delete, no VACUUM
    data = path.read_bytes()
    assert b"for 100 dager siden" not in data
    assert b"for 2 dager siden" in data


def test_missing_table_or_database_file(tmp_path):
    assert purge(f"sqlite:///{tmp_path / 'empty.db'}", 30).events == 0


def test_negative_days_rejected(tmp_path):
    with pytest.raises(ValueError):
        purge(f"sqlite:///{tmp_path / 'x.db'}", -1)


def test_cli_uses_env_and_prints(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    _fabricate(url, "")
    monkeypatch.setenv("TRACKER_URL", url)
    monkeypatch.setenv("RETENTION_DAYS", "30")
    monkeypatch.setattr(time, "time", lambda: NOW)
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("purge: deleted 30 event(s) older than 30 days (3 conversation(s)) "
                          "from sqlite:///")


def test_module_runs(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    proc = subprocess.run(
        [sys.executable, "-m", "bot.privacy.purge", "--url", url, "--days", "30"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "purge: deleted 0 event(s)" in proc.stdout


def test_interval_setting(monkeypatch):
    monkeypatch.delenv("PURGE_INTERVAL_MINUTES", raising=False)
    assert purge_module.interval_seconds() == 3600
    monkeypatch.setenv("PURGE_INTERVAL_MINUTES", "0.5")
    assert purge_module.interval_seconds() == 30
    monkeypatch.setenv("PURGE_INTERVAL_MINUTES", "0")
    assert purge_module.interval_seconds() == 0


def test_schedule_purges_repeatedly_and_survives_failures(tmp_path, monkeypatch, caplog):
    """The in-process schedule: runs again and again; a failing run is logged, not fatal."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    _fabricate(url, "")
    monkeypatch.setenv("RETENTION_DAYS", "30")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: NOW)

    async def scenario() -> None:
        task = asyncio.get_running_loop().create_task(run_schedule(url, 0.05, 0))
        deadline = real_time() + 20
        while _ages(url, "").get("old") and real_time() < deadline:
            await asyncio.sleep(0.05)
        assert _ages(url, "") == {"mixed": [29.5, 2], "new": [1], "edge": [29.99]}
        # the database goes away: errors are logged, the task keeps going
        monkeypatch.setenv("RETENTION_DAYS", "not a number")
        await asyncio.sleep(0.3)
        assert not task.done()
        # and comes back with a shorter retention: the next run applies it
        monkeypatch.setenv("RETENTION_DAYS", "1.5")
        while _ages(url, "") != {"new": [1]} and real_time() < deadline:
            await asyncio.sleep(0.05)
        task.cancel()

    with caplog.at_level("INFO", logger="bot.privacy.purge"):
        asyncio.run(scenario())
    assert _ages(url, "") == {"new": [1]}
    assert "retention purge FAILED (ValueError)" in caplog.text
    assert "retention purge: 30 event(s) of 3 conversation(s)" in caplog.text


def test_rasa_server_runs_the_schedule(tmp_path):
    """A real Rasa Sanic app (rasa.core.run.configure_app, as `bot.serve run` makes it, no
    model needed) with the schedule installed purges the tracker DB by itself."""
    import signal

    from tests.servers import free_port

    path = tmp_path / "tracker.db"
    url = f"sqlite:///{path}"
    _fabricate(url, "")  # real timestamps are "now" - age; NOW is in the future: shift
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("update events set timestamp = timestamp - ?", (NOW - time.time(),))
    engine.dispose()
    port = free_port()
    code = (
        "from bot.privacy.purge import install_schedule\n"
        "install_schedule()\n"
        "import rasa.core.run\n"
        f"app = rasa.core.run.configure_app(input_channels=[], port={port})\n"
        f"app.run(host='127.0.0.1', port={port}, workers=1, access_log=False)\n"
    )
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "TRACKER_URL": url,
           "RETENTION_DAYS": "30", "PURGE_INTERVAL_MINUTES": "0.01",
           "RASA_TELEMETRY_ENABLED": "false", "HOME": str(tmp_path)}
    log = tmp_path / "server.log"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if _ages(url, "", None, now=time.time()).get("old") is None:
                break
            time.sleep(0.5)
        ages = _ages(url, "", None, now=time.time())
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert ages == {"mixed": [29.5, 2], "new": [1], "edge": [29.99]}, log.read_text()[-3000:]
