"""The REST channel (`POST /webhooks/rest/webhook`), hardened: Rasa's own channel answers an
empty or malformed body with a 500 and passes any text through. This one answers malformed
requests with a 400 and a plain explanation, and cleans the text (bot/channels/text.py)."""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.sms_logic import RateLimiter
from bot.channels.text import clean_user_text

logger = logging.getLogger(__name__)

TOO_MANY = (
    "Du har sendt veldig mange meldinger på kort tid. Vent litt, så svarer jeg igjen. "
    "Er noen i fare, ring 113."
)
BAD_REQUEST = (
    "Forespørselen kunne ikke leses. Send JSON som "
    '{"sender": "en-id", "message": "teksten din"}.'
)


def _body(request: Request) -> Optional[Dict[str, Any]]:
    try:
        data = json.loads(request.body.decode("utf-8", "strict") or "null")
    except (UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class RestInput(RasaRestInput):
    """Same name, URL and reply format as Rasa's REST channel."""

    def __init__(self) -> None:
        # per-sender limit (REST_RATE_LIMIT_PER_MIN, default 30; 0 = off)
        self.limiter = RateLimiter(int(os.environ.get("REST_RATE_LIMIT_PER_MIN", "30")), 60.0)

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            data = _body(request)
            sender = data.get("sender") if data else None
            if data is None or not isinstance(sender, (str, int)) or not str(sender).strip():
                return response.json({"error": BAD_REQUEST}, status=400)
            if not self.limiter.allow(str(sender)):
                return response.json([{"recipient_id": str(sender)[:128], "text": TOO_MANY}],
                                     status=429)
            clean = clean_user_text(data.get("message"))
            metadata = data.get("metadata")
            metadata = dict(metadata) if isinstance(metadata, dict) else {}
            metadata.update(clean.metadata())
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(clean.text, collector, str(sender)[:128],
                                input_channel=self.name(), metadata=metadata or None)
                )
            except Exception:  # noqa: BLE001 - logged; the user still gets an answer
                logger.exception("the bot failed to handle a REST message")
            return response.json(collector.messages)

        return webhook
