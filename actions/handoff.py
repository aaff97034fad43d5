"""Live hand-off: with the user's consent, a short summary goes to the helpline's system.

Off unless HANDOFF_URL is set. The summary holds the topics talked about, whether young mode
is on, and the target service; never the user's own words. It is POSTed with aiohttp, with a
timeout and retries, and the user is told honestly whether it arrived.

Guarded against floods and forgery (review M2):
- ``HANDOFF_URL`` must be ``https://`` (plain ``http://`` only to localhost, for tests and
  a receiver on the same host); redirects are not followed;
- with ``HANDOFF_SECRET`` set, each POST carries ``X-Handoff-Timestamp`` (Unix seconds) and
  ``X-Handoff-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``, so the
  receiver can check the sender and reject replays (old timestamps);
- the service must be a known service id of the knowledge base;
- a budget: at most one summary per conversation (``HANDOFF_SESSION_SECONDS``, default 3600)
  and ``HANDOFF_MAX_PER_MIN`` (default 10) across all users, counted in Redis when
  ``RATE_LIMIT_REDIS_URL``/``LOCK_STORE_URL`` is set (every process shares it), else in memory.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import time
from typing import Any, Dict, List, Optional, Text
from urllib.parse import urlsplit

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionHelp
from actions.common import TOPIC_INTENTS, audience, custom_block, repository
from actions.config import settings
from bot.channels.limits import Limiter, OnceStore, SharedState
from bot.settings import env_float, env_int

logger = logging.getLogger(__name__)

OFFER = "handoff"
# User-facing texts. The summary goes to the receiver the operator configures (HANDOFF_URL), not
# to a named helpline: no agreement with (anonymous) helplines is documented, so the texts must not
# imply that the line the user calls has received anything (editorial review 2026-12, F22).
TEXTS = {
    "ask": {
        "adult": "Vil du at chatten sender et kort sammendrag til dem som driver denne tjenesten? "
                 "Det sier bare hvilke temaer vi har snakket om, ikke hva du har skrevet. Du "
                 "trenger ikke dette for å ringe.",
        "young": "Vil du at chatten sender en kort lapp til dem som driver denne chatten? Den sier "
                 "bare hva vi har snakket om, ikke hva du har skrevet. Du trenger ikke lappen for "
                 "å ringe.",
    },
    "sent": {
        "adult": "Sammendraget er sendt til dem som driver denne tjenesten. Du bestemmer selv hva "
                 "du vil fortelle når du ringer.",
        "young": "Lappen er sendt. Du bestemmer selv hva du vil fortelle når du ringer.",
    },
    "failed": {
        "adult": "Beklager, jeg fikk ikke sendt sammendraget. Du kan likevel ringe dem.",
        "young": "Beklager, jeg fikk ikke sendt lappen. Du kan likevel ringe dem.",
    },
    "already": {
        "adult": "Sammendraget er allerede sendt i denne samtalen. Du kan ringe dem når du vil.",
        "young": "Lappen er allerede sendt. Du kan ringe dem når du vil.",
    },
    "declined": {
        "adult": "Greit, da sender vi ingenting.",
        "young": "Greit, da sender vi ingenting.",
    },
}
BUTTONS = [{"title": "Ja, send", "payload": "/affirm"}, {"title": "Nei takk", "payload": "/deny"}]


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def receiver_url() -> str:
    """HANDOFF_URL when it is allowed (https, or http to this host), else "" (hand-off off)."""
    url = settings().handoff_url
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS):
        return url
    logger.error("HANDOFF_URL must be https:// (http:// only to localhost); hand-off is off")
    return ""


class Budget:
    """At most one summary per conversation and HANDOFF_MAX_PER_MIN across all users."""

    def __init__(self) -> None:
        self.per_minute = env_int("HANDOFF_MAX_PER_MIN", 10)
        state = SharedState()  # Redis when configured, else this budget's own memory
        self.global_limit = Limiter("handoff", {"all": self.per_minute}, window=60.0,
                                    shared=(), state=state)
        self.once = OnceStore("handoff",
                              env_float("HANDOFF_SESSION_SECONDS", 3600.0), state)

    async def allow(self, sender_id: str) -> Optional[str]:
        """None when a summary may be sent now, else "already" or "busy"."""
        if not await self.once.first_time(sender_id):
            return "already"
        if not await self.global_limit.allow(all="all"):
            logger.error("hand-off budget of %d per minute reached; summary not sent",
                         self.per_minute)
            return "busy"
        return None


_budget: Optional[Budget] = None


def budget() -> Budget:
    global _budget
    if _budget is None:
        _budget = Budget()
    return _budget


def reset_budget() -> None:
    """Forget the counts (tests; a new HANDOFF_MAX_PER_MIN)."""
    global _budget
    _budget = None


def known_service(service_id: Any) -> Optional[str]:
    """``service_id`` when the knowledge base has such a service, else None."""
    if not isinstance(service_id, str) or len(service_id) > 80:
        return None
    return service_id if repository().service(service_id) is not None else None


def signed_headers(body: bytes, secret: str, now: Optional[float] = None) -> Dict[str, str]:
    """The signature headers for ``body`` (see the module docstring)."""
    stamp = str(int(time.time() if now is None else now))
    mac = hmac.new(secret.encode("utf-8"), stamp.encode("ascii") + b"." + body, hashlib.sha256)
    return {"X-Handoff-Timestamp": stamp, "X-Handoff-Signature": f"sha256={mac.hexdigest()}"}


def offer(dispatcher: CollectingDispatcher, aud: str, service: Optional[str]) -> List[Dict]:
    """Asks for consent (called after a hand-over reply); returns the events to remember it."""
    if not receiver_url():
        return []
    dispatcher.utter_message(text=TEXTS["ask"][aud], buttons=BUTTONS,
                             json_message=custom_block("handover", None, aud, consent=OFFER))
    return [SlotSet("pending_offer", OFFER), SlotSet("handoff_service", service)]


def summary(tracker: Tracker) -> Dict[str, Any]:
    """Topics so far (in order), young mode, target service: no free text."""
    topics: List[str] = []
    for event in tracker.events:
        if event.get("event") == "slot" and event.get("name") == "topic":
            value = event.get("value")
            if value in TOPIC_INTENTS and value not in topics:
                topics.append(value)
    return {
        "conversation": "chat",
        "topics": topics,
        "young_mode": bool(tracker.get_slot("young_mode")),
        "service": tracker.get_slot("handoff_service"),
        "sent_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


async def post_summary(url: str, payload: Dict[str, Any], timeout: float, retries: int) -> bool:
    """POSTs the summary; True when the receiver answered 2xx. Retries on errors and 5xx;
    a redirect is a refusal (never followed)."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    secret = os.environ.get("HANDOFF_SECRET", "")
    for attempt in range(retries + 1):
        headers = {"Content-Type": "application/json"}
        if secret:
            headers.update(signed_headers(body, secret))
        try:
            async with aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=timeout)
            ) as session:
                async with session.post(url, data=body, headers=headers,
                                        allow_redirects=False) as response:
                    if 200 <= response.status < 300:
                        return True
                    if response.status < 500:
                        logger.error("hand-off refused by receiver: HTTP %s", response.status)
                        return False
                    logger.warning("hand-off attempt %d: HTTP %s", attempt + 1, response.status)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("hand-off attempt %d failed: %s", attempt + 1,
                           type(error).__name__)
        if attempt < retries:
            await asyncio.sleep(0.5 * (attempt + 1))
    return False


class ActionConfirm(Action):
    """Yes/no: answers a pending offer (the hand-off summary), else shows the menu."""

    def name(self) -> Text:
        return "action_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if tracker.get_slot("pending_offer") != OFFER:
            return await ActionHelp().run(dispatcher, tracker, domain)
        aud = audience(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        events = [SlotSet("pending_offer", None)]
        if intent != "affirm":
            dispatcher.utter_message(text=TEXTS["declined"][aud],
                                     json_message=custom_block("handover", None, aud))
            return events
        cfg = settings()
        url = receiver_url()
        payload = summary(tracker)
        payload["service"] = known_service(payload["service"])
        refusal = None if url and payload["service"] else "failed"
        if url and not payload["service"]:
            logger.error("hand-off to an unknown service refused")
        if refusal is None:
            refusal = await budget().allow(tracker.sender_id)
        if refusal == "already":
            dispatcher.utter_message(text=TEXTS["already"][aud],
                                     json_message=custom_block("handover", None, aud,
                                                               handoff={"sent": False}))
            return events
        sent = refusal is None and await post_summary(url, payload, cfg.handoff_timeout,
                                                      cfg.handoff_retries)
        dispatcher.utter_message(
            text=TEXTS["sent" if sent else "failed"][aud],
            json_message=custom_block("handover", None, aud, handoff={"sent": sent}),
        )
        return events
