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

Importing this module also installs the PII log filter (`bot.privacy.logs.install`), so the
Rasa server scrubs its logs whenever this tracker store is configured.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Dict, List, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.privacy import logs
from bot.privacy.events import scrub_event

logs.install()
logger = logging.getLogger(__name__)


class ScrubbingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that persists scrubbed copies of events."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        url: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        url = url or host or os.environ.get("TRACKER_URL")
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)

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

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Like `SQLTrackerStore.save`, with each new event scrubbed before it is written."""
        await self.stream_events(tracker)
        slot_types = self._slot_types()
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = scrub_event(event.as_dict(), slot_types)
                intent = (data.get("parse_data") or {}).get("intent", {}) or {}
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent.get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        logger.debug("Tracker stored (scrubbed)")
