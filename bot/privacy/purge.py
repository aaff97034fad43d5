"""Retention: delete tracker events older than RETENTION_DAYS, by the age of each event.

    python -m bot.privacy.purge [--days N] [--url URL] [--schema S] [--dry-run]

Works on the table of Rasa's SQL tracker store (`events`) at TRACKER_URL (SQLite or
PostgreSQL). Every event whose timestamp is older than the limit (default 30 days) is
deleted, also in conversations that are still active: someone who writes every few weeks
(an SMS sender id is a stable hash) keeps only the last RETENTION_DAYS of their history
(review M3). Rasa sessions do not depend on each other (`carry_over_slots_to_new_session:
false`, sessions expire after 60 minutes), so cutting by age removes whole old sessions in
practice. Deletion runs in batches (short transactions next to a live bot). On SQLite
`secure_delete` overwrites the deleted rows and the CLI VACUUMs the file afterwards, so deleted
text does not linger in free pages; on PostgreSQL autovacuum reclaims the space (backups, WAL
archives and replicas need their own retention, see README).

The running Rasa server purges on a schedule by itself (`install_schedule`, called from
bot/serve.py): every PURGE_INTERVAL_MINUTES (default 60; 0 turns it off), first a minute after
start, in a worker thread off the event loop; a failure is logged as an error (alert on it)
and retried at the next interval. No cron is needed; the CLI is for manual runs.

RETENTION_DAYS is read by `bot.settings.retention_days` (also used by `make run`'s log
rotation): strictly here, so a value that is not a number or is negative fails the run (the
scheduled one logs «retention purge FAILED», the CLI stops) instead of purging by another
period.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa

from bot.settings import DEFAULT_RETENTION_DAYS, env_float, retention_days

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MINUTES = 60.0
FIRST_RUN_DELAY_SECONDS = 60.0
BATCH = 5000


@dataclass
class PurgeResult:
    conversations: int  # conversations that lost events
    events: int  # events deleted (or that would be, with dry_run)
    cutoff: float


def _schema(engine: sa.engine.Engine, schema: Optional[str]) -> Optional[str]:
    if engine.dialect.name != "postgresql":
        return None
    return schema or os.environ.get("POSTGRESQL_SCHEMA") or None


def _events_table(engine: sa.engine.Engine, schema: Optional[str] = None) -> Optional[sa.Table]:
    schema = _schema(engine, schema)
    if not sa.inspect(engine).has_table("events", schema=schema):
        return None
    return sa.Table("events", sa.MetaData(), autoload_with=engine, schema=schema)


def purge(url: str, days: float = DEFAULT_RETENTION_DAYS, now: Optional[float] = None,
          dry_run: bool = False, schema: Optional[str] = None, vacuum: bool = True,
          batch: int = BATCH) -> PurgeResult:
    """Delete every event with a timestamp before now - days (in batches of ``batch``)."""
    if days < 0:
        raise ValueError("RETENTION_DAYS must be >= 0")
    cutoff = (time.time() if now is None else now) - days * 86400
    engine = sa.create_engine(url, future=True)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        @sa.event.listens_for(engine, "connect")
        def _secure_delete(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA secure_delete = ON")
    try:
        events = _events_table(engine, schema)
        if events is None:
            return PurgeResult(0, 0, cutoff)
        old = events.c.timestamp < cutoff
        with engine.connect() as conn:
            conversations = conn.execute(
                sa.select(sa.func.count(sa.distinct(events.c.sender_id))).where(old)
            ).scalar_one()
            if dry_run:
                n = conn.execute(sa.select(sa.func.count()).select_from(events).where(old))
                return PurgeResult(conversations, n.scalar_one(), cutoff)
        deleted = 0
        while True:
            # one short transaction per batch: the live bot's writes wait at most one batch
            ids = sa.select(events.c.id).where(old).limit(batch).scalar_subquery()
            with engine.begin() as conn:
                n = conn.execute(sa.delete(events).where(events.c.id.in_(ids))).rowcount
            deleted += n
            if n < batch:
                break
        if deleted and vacuum and sqlite:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM")
        return PurgeResult(conversations, deleted, cutoff)
    finally:
        engine.dispose()


# -- the schedule inside the running Rasa server ---------------------------------------------


def interval_seconds() -> float:
    """PURGE_INTERVAL_MINUTES (default 60) in seconds; 0 or less: no scheduled purge."""
    return env_float("PURGE_INTERVAL_MINUTES", DEFAULT_INTERVAL_MINUTES, minimum=0) * 60


def _sql_url(url: Optional[str]) -> bool:
    return bool(url) and url.split(":", 1)[0].split("+", 1)[0] in ("sqlite", "postgresql")


async def run_schedule(url: str, every: float, first_delay: float = FIRST_RUN_DELAY_SECONDS
                       ) -> None:
    """Purge now and then for ever (until cancelled); failures are logged, never raised."""
    await asyncio.sleep(first_delay)
    while True:
        days = None
        try:
            days = retention_days()
            result = await asyncio.to_thread(purge, url, days, vacuum=False)
            log.info("retention purge: %d event(s) of %d conversation(s) older than %g days "
                     "deleted", result.events, result.conversations, days)
        except Exception as error:  # noqa: BLE001 - the type only (SQL text may hold words)
            log.error("retention purge FAILED (%s); next try in %.0f s",
                      type(error).__name__, every)
        await asyncio.sleep(every)


def install_schedule() -> None:
    """Makes every Rasa server started from this process purge on a schedule: wraps
    `rasa.core.run.configure_app` so the app starts `run_schedule` after the server starts
    and cancels it before it stops. Nothing happens without an SQL TRACKER_URL or with
    PURGE_INTERVAL_MINUTES=0."""
    import rasa.core.run

    original = rasa.core.run.configure_app
    if getattr(original, "_purge_schedule", False):
        return

    def configure_app(*args: Any, **kwargs: Any) -> Any:
        app = original(*args, **kwargs)
        url, every = os.environ.get("TRACKER_URL"), interval_seconds()
        if not _sql_url(url) or every <= 0:
            log.info("retention purge: not scheduled (no SQL TRACKER_URL, or "
                     "PURGE_INTERVAL_MINUTES=0)")
            return app
        first = min(FIRST_RUN_DELAY_SECONDS, every)

        async def start(app: Any, _loop: Any) -> None:
            app.ctx.retention_purge = asyncio.get_running_loop().create_task(
                run_schedule(url, every, first))

        async def stop(app: Any, _loop: Any) -> None:
            task = getattr(app.ctx, "retention_purge", None)
            if task is not None:
                task.cancel()

        app.register_listener(start, "after_server_start")
        app.register_listener(stop, "before_server_stop")
        return app

    configure_app._purge_schedule = True  # type: ignore[attr-defined]
    rasa.core.run.configure_app = configure_app


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.privacy.purge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("TRACKER_URL"),
                        help="tracker store URL (default: $TRACKER_URL)")
    parser.add_argument("--days", type=float, default=retention_days(),
                        help="retention in days (default: $RETENTION_DAYS or 30)")
    parser.add_argument("--schema", default=None,
                        help="PostgreSQL schema (default: $POSTGRESQL_SCHEMA or the search path)")
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("no tracker store: set TRACKER_URL or pass --url")
    result = purge(args.url, args.days, dry_run=args.dry_run, schema=args.schema)
    shown = sa.engine.make_url(args.url).render_as_string(hide_password=True)
    verb = "would delete" if args.dry_run else "deleted"
    print(f"purge: {verb} {result.events} event(s) older than {args.days:g} days "
          f"({result.conversations} conversation(s)) from {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
