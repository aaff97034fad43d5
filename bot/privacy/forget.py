"""Delete a conversation on the server: the one home for "forget this sender".

Used by SMS STOPP (``bot/channels/sms.py``), the widget's «Slett samtalen» / «Rask utgang»
(``bot/web/channel.py``) and the REST channel. Rasa 3.6 tracker stores have no delete method,
so :func:`delete_conversation` removes the rows/keys of each concrete store behind Rasa's
wrappers; :func:`forget_sender` does it for the running agent under the conversation lock, so a
turn that is being processed cannot write the conversation back half-way.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, List, Text

log = logging.getLogger(__name__)


def _concrete_stores(store: Any) -> List[Any]:
    """The real stores behind Rasa's wrappers (FailSafe -> its store and fallback,
    Awaitable -> its store)."""
    from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore

    out: List[Any] = []
    todo = [store]
    while todo:
        s = todo.pop(0)
        if s is None:
            continue
        if isinstance(s, FailSafeTrackerStore):
            todo.append(s._tracker_store)
            todo.append(s._fallback_tracker_store)
        elif isinstance(s, AwaitableTrackerStore):
            todo.append(s._tracker_store)
        else:
            out.append(s)
    return out


async def delete_conversation(tracker_store: Any, sender_id: Text) -> List[str]:
    """Delete every stored event of ``sender_id`` (Rasa 3.6 has no delete method).

    SQLTrackerStore: DELETE of the sender's rows; in-memory, Redis and Mongo stores: their
    key/document is removed; any other store gets a fresh, empty tracker saved over the old
    one. Returns what was done per store (for tests and debug logs).
    """
    from rasa.core.tracker_store import (
        InMemoryTrackerStore,
        MongoTrackerStore,
        RedisTrackerStore,
        SQLTrackerStore,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    done: List[str] = []
    for store in _concrete_stores(tracker_store):
        if isinstance(store, SQLTrackerStore):
            with store.session_scope() as session:
                n = (
                    session.query(store.SQLEvent)
                    .filter(store.SQLEvent.sender_id == sender_id)
                    .delete(synchronize_session=False)
                )
                session.commit()
            done.append(f"sql:{n}")
        elif isinstance(store, InMemoryTrackerStore):
            store.store.pop(sender_id, None)
            done.append("memory")
        elif isinstance(store, RedisTrackerStore):
            store.red.delete(store.key_prefix + sender_id)
            done.append("redis")
        elif isinstance(store, MongoTrackerStore):
            store.conversations.delete_many({"sender_id": sender_id})
            done.append("mongo")
        else:
            slots = store.domain.slots if getattr(store, "domain", None) else []
            result = store.save(DialogueStateTracker(sender_id, slots))
            if inspect.isawaitable(result):
                await result
            done.append(f"replaced:{type(store).__name__}")
    return done


async def forget_sender(app: Any, sender_id: Text) -> None:
    """Delete the conversation of ``sender_id`` in the running agent's tracker store."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    if agent is None or getattr(agent, "tracker_store", None) is None:
        log.error("forget: no agent/tracker store on the app; nothing deleted")
        return
    lock_store = getattr(agent, "lock_store", None)
    if lock_store is not None:
        async with lock_store.lock(sender_id):
            done = await delete_conversation(agent.tracker_store, sender_id)
    else:
        done = await delete_conversation(agent.tracker_store, sender_id)
    log.debug("forget: conversation deleted (%s)", ", ".join(done))
