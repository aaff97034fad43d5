"""Young-relatives mode: detected from metadata, a stated age, or a request."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import custom_block, latest_intent

ADULT_AGE = 18
_NUMBER = re.compile(r"\b(\d{1,3})\b")


def stated_age(tracker: Tracker) -> Optional[int]:
    """The age in an age statement ("jeg er 14"), from the entity or the text."""
    if latest_intent(tracker) != "tell_age":
        return None
    for ent in tracker.latest_message.get("entities") or []:
        if ent.get("entity") == "age":
            match = _NUMBER.search(str(ent.get("value")))
            if match:
                return int(match.group(1))
    match = _NUMBER.search(tracker.latest_message.get("text") or "")
    return int(match.group(1)) if match else None


def detect_mode(tracker: Tracker) -> Optional[bool]:
    """True/False when this message decides the mode; None when it says nothing about it."""
    metadata = tracker.latest_message.get("metadata") or {}
    mode = str(metadata.get("mode") or "").lower()
    if mode in ("ung", "young"):
        return True
    if mode in ("voksen", "adult"):
        return False
    age = stated_age(tracker)
    if age is not None and 0 < age < 120:
        return age < ADULT_AGE
    if latest_intent(tracker) == "young_mode":
        return True
    return None


class ActionDetectMode(Action):
    """Slot mapping action, run before every turn: fills `young_mode` and `age`."""

    def name(self) -> Text:
        return "action_detect_mode"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        events = []
        mode = detect_mode(tracker)
        if mode is not None and mode != bool(tracker.get_slot("young_mode")):
            events.append(SlotSet("young_mode", mode))
        age = stated_age(tracker)
        if age is not None:
            events.append(SlotSet("age", float(age)))
        return events


class ActionYoungMode(Action):
    """Acknowledges an age or a request for the young version."""

    def name(self) -> Text:
        return "action_young_mode"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        young = bool(tracker.get_slot("young_mode"))
        if young:
            text = (
                "Takk for at du sa det! Jeg skal forklare så enkelt jeg kan. "
                "Du kan spørre meg om alt du lurer på."
            )
            buttons = [
                {"title": "Hvem kan jeg snakke med?", "payload": "/barn_unge"},
                {"title": "Hva har jeg rett til å vite?", "payload": "/informasjon"},
                {"title": "Snakk med en voksen", "payload": "/handover"},
            ]
        else:
            text = "Takk! Hva lurer du på? Du kan skrive med egne ord."
            buttons = []
        dispatcher.utter_message(
            text=text,
            buttons=buttons,
            json_message=custom_block("smalltalk", None, "young" if young else "adult"),
        )
        return []
