"""Delete a conversation on the server: the one home for "forget this sender".

Used by SMS STOPP (``bot/channels/sms.py``), the widget's «Slett samtalen» / «Rask utgang»
(``bot/web/channel.py``) and the REST channel. Rasa 3.6 tracker stores have no delete method,
so :func:`delete_conversation` removes the rows/keys of each concrete store behind Rasa's
wrappers; :func:`forget_sender` does it for the running agent under the conversation lock, so a
turn that is being processed cannot write the conversation back half-way.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any, List, Optional, Text

from bot.settings import env_float

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 5.0


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

    A store with its own ``async delete(sender_id)`` (``ScrubbingSQLTrackerStore``: bounded,
    and it also drops its in-memory copy) is asked to delete; any other SQLTrackerStore gets a
    DELETE of the sender's rows; in-memory, Redis and Mongo stores: their key/document is
    removed; any other store gets a fresh, empty tracker saved over the old one. Blocking
    database work runs off the event loop. Errors propagate (the caller must not claim the
    conversation is deleted). Returns what was done per store (for tests and debug logs).
    """
    from rasa.core.tracker_store import (
        InMemoryTrackerStore,
        MongoTrackerStore,
        RedisTrackerStore,
        SQLTrackerStore,
    )
    from rasa.shared.core.trackers import DialogueStateTracker

    def sql_delete(store: Any) -> int:
        with store.session_scope() as session:
            n = (
                session.query(store.SQLEvent)
                .filter(store.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        return n

    done: List[str] = []
    for store in _concrete_stores(tracker_store):
        own_delete = getattr(store, "delete", None)
        if callable(own_delete) and inspect.iscoroutinefunction(own_delete):
            n = await own_delete(sender_id)
            done.append(f"sql:{n}" if isinstance(store, SQLTrackerStore) else
                        f"deleted:{type(store).__name__}")
        elif isinstance(store, SQLTrackerStore):
            n = await asyncio.to_thread(sql_delete, store)
            done.append(f"sql:{n}")
        elif isinstance(store, InMemoryTrackerStore):
            store.store.pop(sender_id, None)
            done.append("memory")
        elif isinstance(store, RedisTrackerStore):
            await asyncio.to_thread(store.red.delete, store.key_prefix + sender_id)
            done.append("redis")
        elif isinstance(store, MongoTrackerStore):
            await asyncio.to_thread(store.conversations.delete_many, {"sender_id": sender_id})
            done.append("mongo")
        else:
            slots = store.domain.slots if getattr(store, "domain", None) else []
            result = store.save(DialogueStateTracker(sender_id, slots))
            if inspect.isawaitable(result):
                await result
            done.append(f"replaced:{type(store).__name__}")
    return done


class ForgetError(RuntimeError):
    """The conversation could not be deleted (no store, a store error, or a timeout)."""


def forget_timeout() -> float:
    """``FORGET_TIMEOUT_SECONDS`` (default 5): the longest a deletion may take, the wait for
    the conversation lock included; a value under 0.1 s gives the default."""
    return env_float("FORGET_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS, minimum=0.1,
                     clamp=False)


async def forget_sender(app: Any, sender_id: Text, timeout: Optional[float] = None
                        ) -> List[str]:
    """Delete the conversation of ``sender_id`` in the running agent's tracker store, under
    the conversation lock (a turn in progress finishes first and cannot write it back).

    Raises :class:`ForgetError` when nothing could be deleted for sure: no agent, a store
    error, or more than ``timeout`` seconds (``FORGET_TIMEOUT_SECONDS``). For every channel:
    SMS STOPP, the widget (socket.io ``forget`` and ``POST /webhooks/socketio/forget``) and
    REST (``await forget_sender(request.app, sender)`` from its route)."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    if agent is None or getattr(agent, "tracker_store", None) is None:
        log.error("forget: no agent/tracker store on the app; nothing deleted")
        raise ForgetError("no tracker store")

    async def run() -> List[str]:
        lock_store = getattr(agent, "lock_store", None)
        if lock_store is not None:
            async with lock_store.lock(sender_id):
                return await delete_conversation(agent.tracker_store, sender_id)
        return await delete_conversation(agent.tracker_store, sender_id)

    try:
        done = await asyncio.wait_for(run(), timeout or forget_timeout())
    except asyncio.TimeoutError as error:
        log.error("forget: timed out; the conversation may not be deleted")
        raise ForgetError("timeout") from error
    except Exception as error:  # noqa: BLE001 - the type only: no ids or SQL in the log
        log.error("forget: failed (%s); the conversation may not be deleted",
                  type(error).__name__)
        raise ForgetError(type(error).__name__) from error
    log.debug("forget: conversation deleted (%s)", ", ".join(done))
    return done
