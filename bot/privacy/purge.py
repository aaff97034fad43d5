"""Retention: delete conversations whose newest event is older than RETENTION_DAYS.

    python -m bot.privacy.purge [--days N] [--url URL] [--dry-run]

Works on the tables of Rasa's SQL tracker store (`events`) at TRACKER_URL (SQLite or
PostgreSQL). A conversation (sender_id) is deleted as a whole when its *last* event is older
than the limit (default 30 days), so an ongoing conversation is never cut in half. On SQLite
the file is VACUUMed afterwards so deleted text does not linger in free pages; on PostgreSQL
autovacuum reclaims the space. Prints one line: how many conversations and events were deleted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa

DEFAULT_RETENTION_DAYS = 30


@dataclass
class PurgeResult:
    conversations: int
    events: int
    cutoff: float


def _events_table(engine: sa.engine.Engine) -> Optional[sa.Table]:
    schema = os.environ.get("POSTGRESQL_SCHEMA") if engine.dialect.name == "postgresql" else None
    if not sa.inspect(engine).has_table("events", schema=schema):
        return None
    return sa.Table("events", sa.MetaData(), autoload_with=engine, schema=schema)


def purge(url: str, days: float = DEFAULT_RETENTION_DAYS, now: Optional[float] = None,
          dry_run: bool = False) -> PurgeResult:
    """Delete every conversation whose newest event timestamp is before now - days."""
    if days < 0:
        raise ValueError("RETENTION_DAYS must be >= 0")
    cutoff = (time.time() if now is None else now) - days * 86400
    engine = sa.create_engine(url, future=True)
    try:
        events = _events_table(engine)
        if events is None:
            return PurgeResult(0, 0, cutoff)
        old = (
            sa.select(events.c.sender_id)
            .group_by(events.c.sender_id)
            .having(sa.func.max(events.c.timestamp) < cutoff)
        )
        with engine.begin() as conn:
            senders = [row[0] for row in conn.execute(old)]
            n_events = 0
            for i in range(0, len(senders), 500):
                chunk = senders[i: i + 500]
                if dry_run:
                    n_events += conn.execute(
                        sa.select(sa.func.count()).select_from(events)
                        .where(events.c.sender_id.in_(chunk))).scalar_one()
                else:
                    n_events += conn.execute(
                        sa.delete(events).where(events.c.sender_id.in_(chunk))).rowcount
        if senders and not dry_run and engine.dialect.name == "sqlite":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM")
        return PurgeResult(len(senders), n_events, cutoff)
    finally:
        engine.dispose()


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.privacy.purge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("TRACKER_URL"),
                        help="tracker store URL (default: $TRACKER_URL)")
    parser.add_argument("--days", type=float,
                        default=float(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
                        help="retention in days (default: $RETENTION_DAYS or 30)")
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("no tracker store: set TRACKER_URL or pass --url")
    result = purge(args.url, args.days, dry_run=args.dry_run)
    shown = sa.engine.make_url(args.url).render_as_string(hide_password=True)
    verb = "would delete" if args.dry_run else "deleted"
    print(f"purge: {verb} {result.conversations} conversation(s) ({result.events} events) "
          f"with no activity for {args.days:g} days from {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
