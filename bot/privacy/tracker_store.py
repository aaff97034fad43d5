"""A SQL tracker store that scrubs personal identifiers before anything is written.

Configured in bot/endpoints.yml::

    tracker_store:
      type: bot.privacy.tracker_store.ScrubbingSQLTrackerStore
      url: ${TRACKER_URL}

Rasa builds custom tracker stores as ``cls(host=<url>, domain=…, event_broker=…, **kwargs)``;
the URL (``sqlite:///…`` or ``postgresql://…``) goes to `SQLTrackerStore` unchanged.

Within a conversation turn the live tracker keeps the original text (NLU, policies and the
action server see it); what is written to the database (and published to an event broker)
is a scrubbed copy of each new event, so a tracker retrieved later holds only placeholders.

Bounded waits (review H3): every database call runs in the store's own threads, off the
Rasa event loop, and is given up after ``TRACKER_TIMEOUT_SECONDS`` (default 1). After a
failure the database is left alone for ``TRACKER_RETRY_SECONDS`` (default 10) so later turns
do not wait for it again. Meanwhile conversations continue from a bounded in-memory copy
(``TRACKER_MEMORY_MAX`` conversations, default 1000, each kept at most
``TRACKER_MEMORY_TTL_SECONDS``, default 3600) whose events are written to the database once it
answers again. `save` never raises, so Rasa's own fallback (an unbounded in-memory store)
is never used. Engines get connect and statement timeouts and hide SQL parameters from
error messages (knowledge.db, review M4).

Importing this module also installs the PII log filter (`bot.privacy.logs.install`), so the
Rasa server scrubs its logs whenever this tracker store is configured.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.privacy import logs
from bot.privacy.events import scrub_event
from bot.settings import env_float, env_int
from knowledge.db import bounded_url, engine_options

logs.install()
logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 1.0
DEFAULT_RETRY_SECONDS = 10.0
DEFAULT_MEMORY_MAX = 1000
DEFAULT_MEMORY_TTL_SECONDS = 3600.0


class DatabaseSkipped(Exception):
    """The database failed a moment ago; it is not asked again before the retry time."""


@dataclass
class _Held:
    """A conversation held in memory while the database is unavailable."""

    tracker: Optional[str]  # serialised tracker (None: only a note from `retrieve`)
    stored: int  # how many of its events (from the start) are known to be in the database
    at: float


class _Memory:
    """Bounded, expiring in-memory copies of conversations not (fully) written yet."""

    def __init__(self, max_items: int, ttl: float) -> None:
        self.max_items, self.ttl = max(1, max_items), ttl
        self._items: "OrderedDict[str, _Held]" = OrderedDict()
        self._lock = threading.Lock()
        self.dropped = 0  # conversations evicted with events not yet written

    def _expire(self, now: float) -> None:
        while self._items:
            sender, held = next(iter(self._items.items()))
            if len(self._items) <= self.max_items and now - held.at <= self.ttl:
                break
            self._items.popitem(last=False)
            if held.tracker is not None:
                self.dropped += 1
                logger.error("tracker memory full or expired: one conversation's unsaved "
                             "events dropped (%d so far)", self.dropped)

    def get(self, sender: str) -> Optional[_Held]:
        with self._lock:
            self._expire(time.monotonic())
            return self._items.get(sender)

    def put(self, sender: str, tracker: Optional[str], stored: int) -> None:
        with self._lock:
            self._items.pop(sender, None)
            self._items[sender] = _Held(tracker, stored, time.monotonic())
            self._expire(time.monotonic())

    def written(self, sender: str, tracker: Optional[str], count: int) -> None:
        """``count`` events of the conversation reached the database (late writes too)."""
        with self._lock:
            held = self._items.get(sender)
            if held is None:
                return
            if held.tracker is None or held.tracker == tracker:
                del self._items[sender]  # everything it held is written
            elif count > held.stored:
                held.stored = count

    def pop(self, sender: str) -> Optional[_Held]:
        with self._lock:
            return self._items.pop(sender, None)

    def pending(self) -> List[str]:
        with self._lock:
            return [s for s, h in self._items.items() if h.tracker is not None]

    def __len__(self) -> int:
        return len(self._items)


class ScrubbingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that persists scrubbed copies of events, with bounded waits."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        url: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = url or host or os.environ.get("TRACKER_URL")
        super().__init__(domain=domain, host=bounded_url(url), event_broker=event_broker,
                         **kwargs)
        # Rasa made its engine without our options: replace it (same URL, same tables)
        self.engine.dispose()
        self.engine = sa.create_engine(bounded_url(url),
                                       **engine_options(url, **create_engine_kwargs(url)))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.timeout = env_float("TRACKER_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS,
                                 minimum=0.1)
        self.retry_after = env_float("TRACKER_RETRY_SECONDS", DEFAULT_RETRY_SECONDS,
                                     minimum=0.0)
        self.memory = _Memory(
            env_int("TRACKER_MEMORY_MAX", DEFAULT_MEMORY_MAX, minimum=1),
            env_float("TRACKER_MEMORY_TTL_SECONDS", DEFAULT_MEMORY_TTL_SECONDS, minimum=0.1),
        )
        self._executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=env_int("TRACKER_DB_THREADS", 4, minimum=1),
            thread_name_prefix="tracker-db",
        )
        self._down_until = 0.0
        self._flushing = False

    # -- bounded database calls ---------------------------------------------------------

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    async def _call(self, what: str, fn: Callable[..., Any], *args: Any,
                    on_late: Optional[Callable[["concurrent.futures.Future"], None]] = None
                    ) -> Any:
        """``fn(*args)`` in the store's threads, given up after ``self.timeout``. A failure
        marks the database unavailable for ``retry_after`` seconds. ``on_late`` is called
        (in a worker thread) when a call given up on still finishes later."""
        if not self.available:
            raise DatabaseSkipped(what)
        future = self._executor.submit(fn, *args)
        try:
            result = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)),
                                            self.timeout)
        except Exception as error:
            self._down_until = time.monotonic() + self.retry_after
            timed_out = isinstance(error, asyncio.TimeoutError)
            if timed_out and not future.cancel() and on_late is not None:
                future.add_done_callback(on_late)
            # the type only: SQL errors carry statements (parameters are hidden anyway). A
            # timeout is a warning: a slow database under load, nothing lost (the turn is
            # held in memory and written back); a failure is an error.
            log = logger.warning if timed_out else logger.error
            log("tracker store: %s %s; database skipped for %.0f s", what,
                "timed out" if timed_out else f"failed ({type(error).__name__})",
                self.retry_after)
            raise
        if self.memory.pending() and not self._flushing:
            asyncio.get_running_loop().create_task(self._flush())
        return result

    # -- reading ------------------------------------------------------------------------

    def _read(self, sender_id: Text, all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, all_sessions).all()
            events = [json.loads(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def _retrieve_bounded(self, sender_id: Text, all_sessions: bool
                                ) -> Optional[DialogueStateTracker]:
        held = self.memory.get(sender_id)
        if held is not None and held.tracker is not None:
            return self.deserialise_tracker(sender_id, held.tracker)
        try:
            tracker = await self._call("retrieve", self._read, sender_id, all_sessions)
        except Exception:  # noqa: BLE001 - any failure: a fresh conversation, still answered
            tracker = None
        if not all_sessions:
            # a note for `save`: how many of this tracker's events the database holds (none
            # when it failed: the fresh conversation Rasa starts must be written in full)
            self.memory.put(sender_id, None, len(tracker.events) if tracker else 0)
        return tracker

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return await self._retrieve_bounded(sender_id, all_sessions=False)

    async def retrieve_full_tracker(self, conversation_id: Text
                                    ) -> Optional[DialogueStateTracker]:
        return await self._retrieve_bounded(conversation_id, all_sessions=True)

    async def keys(self) -> Iterable[Text]:
        def read() -> List[Text]:
            with self.session_scope() as session:
                return [s for (s,) in session.query(self.SQLEvent.sender_id).distinct()]

        return await self._call("keys", read)

    # -- writing ------------------------------------------------------------------------

    def _slot_types(self) -> Dict[str, str]:
        try:
            return {slot.name: slot.type_name for slot in self.domain.slots}
        except Exception:  # noqa: BLE001 - no domain: treat every slot as free text
            return {}

    def scrubbed(self, event: Event) -> Dict[str, Any]:
        return scrub_event(event.as_dict(), self._slot_types())

    async def _stream_new_events(
        self, event_broker: EventBroker, new_events: List[Event], sender_id: Text
    ) -> None:
        for event in new_events:
            body = {"sender_id": sender_id}
            body.update(self.scrubbed(event))
            event_broker.publish(body)

    def _write(self, sender_id: Text, events: Sequence[Event], stored: Optional[int]) -> int:
        """Writes scrubbed copies of ``events[stored:]`` (``stored`` None: those not in the
        database yet, counted in the current session as Rasa does). Returns len(events)."""
        slot_types = self._slot_types()
        with self.session_scope() as session:
            if stored is None:
                stored = self._event_query(session, sender_id, False).count()
            for event in itertools.islice(events, stored, None):
                data = scrub_event(event.as_dict(), slot_types)
                intent = (data.get("parse_data") or {}).get("intent", {}) or {}
                session.add(
                    self.SQLEvent(
                        sender_id=sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent.get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        return len(events)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Like `SQLTrackerStore.save`, with each new event scrubbed before it is written;
        bounded: when the database fails or is slow, the conversation is held in memory
        and written later. Never raises."""
        await self.stream_events(tracker)
        sender = tracker.sender_id
        events = list(tracker.events)
        held = self.memory.get(sender)
        stored = held.stored if held is not None else None
        serialised = self.serialise_tracker(tracker)

        def late(future: "concurrent.futures.Future") -> None:
            if not future.cancelled() and future.exception() is None:
                self.memory.written(sender, serialised, future.result())

        try:
            await self._call("save", self._write, sender, events, stored, on_late=late)
        except Exception:  # noqa: BLE001 - keep the turn; write it when the database is back
            # without a note from `retrieve` nothing is known to be stored: write it all later
            self.memory.put(sender, serialised, stored or 0)
            return
        self.memory.pop(sender)  # all of it is in the database now
        logger.debug("Tracker stored (scrubbed)")

    async def _flush(self) -> None:
        """Writes the conversations held in memory once the database answers again."""
        self._flushing = True
        try:
            for sender in self.memory.pending():
                held = self.memory.get(sender)
                if held is None or held.tracker is None:
                    continue
                tracker = self.deserialise_tracker(sender, held.tracker)
                if tracker is None:
                    self.memory.pop(sender)
                    continue
                try:
                    count = await self._call("flush", self._write, sender,
                                             list(tracker.events), held.stored)
                except Exception:  # noqa: BLE001 - still down: try again later
                    return
                self.memory.written(sender, held.tracker, count)
        finally:
            self._flushing = False

    async def delete(self, sender_id: Text) -> int:
        """Deletes the sender's events from the database and from memory (bounded)."""
        self.memory.pop(sender_id)

        def remove() -> int:
            with self.session_scope() as session:
                n = (session.query(self.SQLEvent)
                     .filter(self.SQLEvent.sender_id == sender_id)
                     .delete(synchronize_session=False))
                session.commit()
                return n

        return await self._call("delete", remove)
