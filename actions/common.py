"""Helpers shared by the actions: knowledge access, audience, entities, the `custom` block."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from types import SimpleNamespace
from typing import Any, Dict, Iterable, List, Optional

from rasa_sdk import Tracker

from actions.config import settings
from bot.settings import env_float
from bot.understanding.situation import mode_from_metadata
from knowledge import TOPICS
from knowledge.repository import KnowledgeRepository

# Intents answered from the knowledge base: the content topics of the bot contract (each
# topic intent is named as its topic); the other contract topics have their own handling.
NON_CONTENT_TOPICS = ("handover", "krise", "smalltalk", "out_of_scope")
TOPIC_INTENTS = tuple(t for t in TOPICS if t not in NON_CONTENT_TOPICS)
INTENT_TOPIC: Dict[str, str] = {i: i for i in TOPIC_INTENTS}
INTENT_TOPIC.update(
    {
        "greet": "smalltalk",
        "goodbye": "smalltalk",
        "thank": "smalltalk",
        "bot_challenge": "smalltalk",
        "affirm": "smalltalk",
        "deny": "smalltalk",
        "help": "smalltalk",
        "out_of_scope": "out_of_scope",
        "handover": "handover",
        "krise": "krise",
        "tell_age": "smalltalk",
        "young_mode": "smalltalk",
    }
)

ENTITY_SLOTS = ("benefit", "diagnosis", "relation")

logger = logging.getLogger(__name__)
_executor = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="kb")

_repo_lock = threading.Lock()
_repo: Optional[KnowledgeRepository] = None
_repo_checked = 0.0
_reloading = False
_creating: Optional["concurrent.futures.Future[KnowledgeRepository]"] = None
_creating_since = 0.0
# Bounded waits on the knowledge base (README "Environment variables"): an action waits at
# most this long for the knowledge base before it fails, and Rasa answers with the safe reply.
DEFAULT_KB_TIMEOUT_SECONDS = 2.5


class KnowledgeUnavailable(RuntimeError):
    """The knowledge base could not be read in time."""


def kb_timeout() -> float:
    return env_float("KB_TIMEOUT_SECONDS", DEFAULT_KB_TIMEOUT_SECONDS, minimum=0.1)


def _reload(repo: KnowledgeRepository) -> None:
    global _reloading
    try:
        repo.reload_if_changed()
    except Exception as error:  # noqa: BLE001 - keep serving the current content
        logger.error("knowledge reload failed (%s); serving the current content",
                     type(error).__name__)
    finally:
        _reloading = False


def repository() -> KnowledgeRepository:
    """The knowledge repository (created on first use). Content changes are picked up by a
    background reload every ``KB_RELOAD_SECONDS``: an action never waits for it."""
    global _repo, _repo_checked, _reloading
    with _repo_lock:
        now = time.monotonic()
        if _repo is None:
            _repo = KnowledgeRepository.from_url()  # the action server makes it off the loop
            _repo_checked = now
        elif now - _repo_checked > settings().kb_reload_seconds and not _reloading:
            _repo_checked = now
            _reloading = True
            threading.Thread(target=_reload, args=(_repo,), name="kb-reload",
                             daemon=True).start()
        return _repo


def _create() -> KnowledgeRepository:
    global _repo, _repo_checked
    # with its similarity index: the first story must not wait for it (the answer after a
    # crisis reply has one second)
    repo = KnowledgeRepository.from_url().warm()
    with _repo_lock:
        if _repo is None:
            _repo, _repo_checked = repo, time.monotonic()
        return _repo


async def ensure_repository() -> KnowledgeRepository:
    """The repository, made in a thread (off the event loop) when there is none yet, waiting
    at most ``KB_TIMEOUT_SECONDS``. Raises KnowledgeUnavailable when the knowledge base fails
    or is too slow; while one attempt hangs, later calls fail at once."""
    global _creating, _creating_since
    if _repo is not None:
        return _repo
    with _repo_lock:
        if _creating is None or _creating.done():
            _creating = _executor.submit(_create)
            _creating_since = time.monotonic()
        future, since = _creating, _creating_since
    left = kb_timeout() - (time.monotonic() - since)
    if left <= 0:
        raise KnowledgeUnavailable("knowledge base still not answering")
    try:
        return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), left)
    except asyncio.TimeoutError:
        raise KnowledgeUnavailable("knowledge base timed out") from None
    except Exception as error:  # noqa: BLE001
        raise KnowledgeUnavailable(f"knowledge base failed ({type(error).__name__})") from None


def reset_repository(repo: Optional[KnowledgeRepository] = None) -> None:
    """Point the actions at another repository (tests) or drop the cached one."""
    global _repo, _repo_checked
    with _repo_lock:
        _repo = repo
        _repo_checked = time.monotonic()


def audience(tracker: Tracker) -> str:
    """"young" or "adult": the page's metadata on this message first (a button payload such
    as the widget's greeting bypasses the NLU that sets the slot), else the `young_mode` slot
    (set in the Rasa server by bot/nlu/situation_reader.py)."""
    young = mode_from_metadata(tracker.latest_message.get("metadata"))
    if young is None:
        young = bool(tracker.get_slot("young_mode"))
    return "young" if young else "adult"


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def intent_ranking(tracker: Tracker) -> List[Dict[str, Any]]:
    """The NLU's intent ranking of the latest message (just the intent when there is none)."""
    ranking = tracker.latest_message.get("intent_ranking")
    if ranking:
        return list(ranking)
    intent = tracker.latest_message.get("intent") or {}
    return [intent] if intent.get("name") else []


def latest_text(tracker: Tracker) -> str:
    text = tracker.latest_message.get("text") or ""
    # button payloads ("/okonomi{...}") carry no words of the user
    return "" if text.startswith("/") else text


def message_entities(tracker: Tracker) -> Dict[str, List[str]]:
    """Entities of the latest message, canonical values, in order, without duplicates."""
    found: Dict[str, List[str]] = {}
    for ent in tracker.latest_message.get("entities") or []:
        name, value = ent.get("entity"), ent.get("value")
        if not name or value is None:
            continue
        value = str(value).strip().lower()
        if name in ENTITY_SLOTS:
            value = value.replace("_", "-")
        values = found.setdefault(name, [])
        if value and value not in values:
            values.append(value)
    return found


def with_context_entities(tracker: Tracker, ents: Dict[str, List[str]]) -> Dict[str, List[str]]:
    """Adds entities remembered in slots where the message has none (follow-up questions)."""
    merged = {k: list(v) for k, v in ents.items()}
    for slot in ENTITY_SLOTS:
        value = tracker.get_slot(slot)
        if value and slot not in merged:
            merged[slot] = [str(value).lower().replace("_", "-")]
    return merged


def sources_json(sources: Iterable[Any]) -> List[Dict[str, str]]:
    out, seen = [], set()
    for src in sources:
        ref = getattr(src, "ref", None) or getattr(src, "url", None) or src.title
        key = ref.rstrip("/").lower()
        if key in seen:
            continue
        seen.add(key)
        item = {"title": src.title, "ref": ref}
        url = getattr(src, "url", None)
        if url:
            item["url"] = url
        out.append(item)
    return out


def custom_block(
    topic: str,
    article: Optional[str],
    audience: str,
    sources: Iterable[Any] = (),
    **extra: Any,
) -> Dict[str, Any]:
    """The contract's `custom` block: topic, article, audience, sources (+ extra keys).

    Sources are shown to users ("Kilde: ..."): small talk carries none, and a hand-over card
    names the service itself instead of the research notes of its facts record.
    """
    shown = [] if topic == "smalltalk" else list(sources)
    card = extra.get("handover")
    if isinstance(card, dict) and any(getattr(s, "ref", None) is None for s in shown):
        shown = [s for s in shown if getattr(s, "ref", None)]
        if card.get("service"):
            name = str(card["service"])
            shown.insert(0, SimpleNamespace(title=name, ref=name, url=card.get("url")))
    block: Dict[str, Any] = {
        "topic": topic,
        "article": article,
        "audience": audience,
        "sources": sources_json(shown),
    }
    block.update(extra)
    return block


def article_button(article: Any) -> Dict[str, str]:
    """A button that opens an article directly: /<topic>{"article": "<id>"}."""
    intent = article.topic if article.topic in INTENT_TOPIC else "followup"
    return {"title": article.title, "payload": f'/{intent}{{"article": "{article.id}"}}'}
