"""Live hand-off: with the user's consent, a short summary goes to the helpline's system.

Off unless HANDOFF_URL is set. The summary holds the topics talked about, whether young mode
is on, and the target service; never the user's own words. It is POSTed with aiohttp, with a
timeout and retries, and the user is told honestly whether it arrived.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any, Dict, List, Optional, Text

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionHelp
from actions.common import TOPIC_INTENTS, audience, custom_block
from actions.config import settings

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
    "declined": {
        "adult": "Greit, da sender vi ingenting.",
        "young": "Greit, da sender vi ingenting.",
    },
}
BUTTONS = [{"title": "Ja, send", "payload": "/affirm"}, {"title": "Nei takk", "payload": "/deny"}]


def offer(dispatcher: CollectingDispatcher, aud: str, service: Optional[str]) -> List[Dict]:
    """Asks for consent (called after a hand-over reply); returns the events to remember it."""
    if not settings().handoff_url:
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
    """POSTs the summary; True when the receiver answered 2xx. Retries on errors and 5xx."""
    for attempt in range(retries + 1):
        try:
            async with aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=timeout)
            ) as session:
                async with session.post(url, json=payload) as response:
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
        sent = await post_summary(cfg.handoff_url, summary(tracker), cfg.handoff_timeout,
                                  cfg.handoff_retries)
        dispatcher.utter_message(
            text=TEXTS["sent" if sent else "failed"][aud],
            json_message=custom_block("handover", None, aud, handoff={"sent": sent}),
        )
        return events
