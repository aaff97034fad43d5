"""Retention: `python -m bot.privacy.purge` on real SQLTrackerStore tables."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from bot.privacy.purge import main, purge
from tests.conftest import ROOT

DAY = 86400.0
NOW = 1_800_000_000.0


def _fabricate(url: str, prefix: str) -> dict:
    """Conversations by age of their *last* event (days); tables made by Rasa itself."""
    SQLTrackerStore(host=url)  # creates the `events` table exactly like Rasa does
    conversations = {
        f"{prefix}old": [100, 90, 45],  # last event 45 days ago → deleted
        f"{prefix}just-old": [31, 30.5],  # → deleted
        f"{prefix}long-but-active": [200, 100, 2],  # started long ago, active now → kept
        f"{prefix}new": [1, 0.5],  # → kept
        f"{prefix}edge": [29.9],  # → kept
    }
    engine = sa.create_engine(url)
    events = SQLTrackerStore.SQLEvent.__table__
    with engine.begin() as conn:
        for sender, ages in conversations.items():
            for age in ages:
                conn.execute(events.insert().values(
                    sender_id=sender, type_name="user", timestamp=NOW - age * DAY,
                    intent_name="avlastning", action_name=None, data='{"event": "user"}'))
    engine.dispose()
    return conversations


def _senders(url: str, prefix: str) -> set:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("select distinct sender_id from events where sender_id "
                                    "like :p"), {"p": f"{prefix}%"}).all()
    engine.dispose()
    return {r[0] for r in rows}


def _check(url: str, prefix: str):
    _fabricate(url, prefix)
    dry = purge(url, 30, now=NOW, dry_run=True)
    assert _senders(url, prefix) == {f"{prefix}{s}" for s in
                                     ("old", "just-old", "long-but-active", "new", "edge")}
    result = purge(url, 30, now=NOW)
    assert (dry.conversations, dry.events) == (result.conversations, result.events)
    assert result.conversations >= 2 and result.events >= 5
    assert _senders(url, prefix) == {f"{prefix}long-but-active", f"{prefix}new",
                                     f"{prefix}edge"}
    # shorter retention; then idempotent
    purge(url, 1, now=NOW)
    assert _senders(url, prefix) == {f"{prefix}new"}
    assert purge(url, 1, now=NOW).conversations == 0


def test_purge_sqlite(tmp_path):
    _check(f"sqlite:///{tmp_path / 'tracker.db'}", "")


def test_purge_postgres(pg_url):
    prefix = f"purge-test-{uuid.uuid4().hex[:8]}-"
    _check(pg_url, prefix)
    # leave nothing behind
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text("delete from events where sender_id like :p"), {"p": f"{prefix}%"})
    engine.dispose()


def test_missing_table_or_database_file(tmp_path):
    assert purge(f"sqlite:///{tmp_path / 'empty.db'}", 30).conversations == 0


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
    assert out.startswith("purge: deleted 2 conversation(s) (5 events) with no activity for "
                          "30 days from sqlite:///")


def test_module_runs(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    proc = subprocess.run(
        [sys.executable, "-m", "bot.privacy.purge", "--url", url, "--days", "30"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "purge: deleted 0 conversation(s)" in proc.stdout
