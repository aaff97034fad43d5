"""Young-relatives mode: the acknowledgement of an age or a request for it.

The mode itself is detected in the Rasa server (bot/nlu/situation_reader.py: the metadata
``mode``, a stated age, or the `young_mode` intent) and fills the `young_mode` slot there.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import custom_block


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
                {"title": "Hva kan jeg få vite?",
                 "payload": '/barn_unge{"article": "din-rett-til-informasjon-ung"}'},
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
