"""Hand-over to a human: the right helpline, whether it is open now, and what else is open.

Targets are service records of the knowledge base (from ../shared/facts/helplines.yaml),
chosen by configuration (actions/config.py), never phone numbers in code. `open_now` is
computed from the record's sourced opening hours (Europe/Oslo, public holidays closed) and
is null where no sourced hours exist; the reply then links the service's own page.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Dict, List, Optional, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handoff, story
from actions.common import audience, custom_block, repository
from actions.config import settings

OSLO = ZoneInfo("Europe/Oslo")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

# Lines that answer around the clock, offered when the target is closed or its hours unknown.
ALTERNATIVES = {
    "adult": ("mental-helse-hjelpetelefonen", "kirkens-sos"),
    "young": ("alarmtelefonen-116111", "mental-helse-hjelpetelefonen"),
}


def now_oslo() -> dt.datetime:
    """Current time in Oslo; HANDOVER_NOW (ISO 8601) fixes it for tests and demos."""
    fixed = os.environ.get("HANDOVER_NOW")
    if fixed:
        at = dt.datetime.fromisoformat(fixed)
        return at if at.tzinfo else at.replace(tzinfo=OSLO)
    return dt.datetime.now(OSLO)


def format_opening(at: dt.datetime, now: dt.datetime) -> str:
    at = at.astimezone(OSLO)
    now = now.astimezone(OSLO)
    clock = at.strftime("%H:%M")
    if at.date() == now.date():
        return f"i dag kl. {clock}"
    if at.date() == now.date() + dt.timedelta(days=1):
        return f"i morgen kl. {clock}"
    return f"{WEEKDAYS[at.weekday()]} {at.day}.{at.month}. kl. {clock}"


def choose_target(tracker: Tracker, aud: str, repo: Any = None) -> str:
    """The service asked for by name, else the young line, the rus line, or the default."""
    cfg = settings()
    named = story.named_service(tracker.latest_message.get("text") or "")
    if named and (repo is None or repo.service(named) is not None):
        return named
    if aud == "young":
        return cfg.handover_young
    about_rus = "rus" in (tracker.get_slot("diagnosis"), tracker.get_slot("condition")) or any(
        (e.get("value") == "rus") for e in tracker.latest_message.get("entities") or []
    )
    return cfg.handover_rus if about_rus else cfg.handover_default


def handover_reply(repo: Any, target_id: str, aud: str, now: dt.datetime) -> Dict[str, Any]:
    """Text and `custom` block of a hand-over reply."""
    service = repo.service(target_id)
    if service is None:
        raise LookupError(f"hand-over target {target_id!r} is not in the knowledge base")
    open_now: Optional[bool] = service.open_now(now)
    opens = service.next_opening(now) if open_now is False else None

    lines: List[str] = []
    if aud == "young":
        lines.append(f"Du kan snakke med en voksen i {service.name}.")
    else:
        lines.append(f"Du kan snakke med et menneske i {service.name}.")
    if service.offers_no:
        lines.append(service.offers_no.rstrip(".") + ".")
    if open_now is True:
        call = f" Ring {service.phone}." if service.phone else ""
        lines.append(f"De har åpent nå.{call}")
    elif open_now is False:
        when = f" De åpner igjen {format_opening(opens, now)}." if opens else ""
        lines.append(f"De har stengt akkurat nå.{when}")
        if service.phone:
            lines.append(f"Telefon: {service.phone}.")
    else:
        if service.phone:
            lines.append(f"Telefon: {service.phone}.")
        if service.web_url:
            lines.append(f"Se åpningstidene på {service.web_url}.")
    if service.chat_url:
        lines.append(f"Du kan også chatte: {service.chat_url}")

    alternatives = []
    if open_now is not True:
        for alt_id in ALTERNATIVES[aud]:
            alt = repo.service(alt_id)
            if alt is not None and alt.id != service.id and alt.phone and alt.open_now(now):
                alternatives.append(alt)
        if alternatives:
            names = " eller ".join(f"{a.name} på {a.phone}" for a in alternatives)
            lines.append(f"Vil du snakke med noen nå, kan du ringe {names}. De svarer hele døgnet.")

    block = custom_block(
        "handover",
        f"handover-{service.id}",
        aud,
        list(service.sources)[:3],
        handover={
            "service": service.name,
            "phone": service.phone,
            "url": service.web_url or service.chat_url,
            "open_now": open_now,
            "opens": opens.isoformat() if opens else None,
        },
        alternatives=[{"service": a.name, "phone": a.phone} for a in alternatives],
    )
    return {"text": " ".join(lines), "custom": block}


class ActionHandover(Action):
    def name(self) -> Text:
        return "action_handover"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        aud = audience(tracker)
        target = choose_target(tracker, aud, repository())
        reply = handover_reply(repository(), target, aud, now_oslo())
        dispatcher.utter_message(text=reply["text"], json_message=reply["custom"])
        return handoff.offer(dispatcher, aud, target)
