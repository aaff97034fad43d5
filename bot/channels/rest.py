"""The REST channel (`POST /webhooks/rest/webhook`), hardened: Rasa's own channel answers an
empty or malformed body with a 500 and passes any text through. This one

- refuses a body over ``MAX_BODY_BYTES`` (413), a body that is not a JSON object (invalid
  UTF-8, deeply nested, …) and a sender id outside ``[A-Za-z0-9_.:-]{1,64}`` (400), each with a
  plain Norwegian explanation;
- limits the rate per client address (``RATE_LIMIT_PER_IP_PER_MIN``, behind
  ``TRUSTED_PROXIES``) and per sender (``REST_RATE_LIMIT_PER_MIN``) (429);
- keeps only allow-listed metadata (``mode``) and cleans the text (bot/channels/text.py);
- answers a turn that fails inside the bot with the safe reply (113 and a human line), not
  an empty list.

``POST /webhooks/rest/forget`` with ``{"sender": "<id>"}`` deletes that conversation on the
server (200 ``{"deleted": true}``; 503 ``{"deleted": false, "error": …}`` when the tracker
store fails, so the client can say so honestly).

Rules and settings: bot/channels/limits.py.
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.limits import (
    allowed_metadata,
    json_object,
    max_body_bytes,
    peer_address,
    safe_fallback_text,
    valid_sender_id,
    web_limiter,
)
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
BAD_SENDER = (
    "Avsender-id-en («sender») må være 1 til 64 tegn: bokstavene a–z og A–Z uten æøå, "
    "sifre og tegnene _ . : -"
)
NOT_DELETED = (
    "Samtalen kunne ikke slettes akkurat nå. Prøv igjen om litt. Er noen i fare, ring 113."
)
TOO_LARGE = (
    "Meldingen er for lang. Skriv en kortere melding. Er noen i fare, ring 113."
)


def _error(text: str, status: int) -> HTTPResponse:
    return response.json({"error": text}, status=status)


class RestInput(RasaRestInput):
    """Same name, URL and reply format as Rasa's REST channel."""

    def __init__(self) -> None:
        self.limiter = web_limiter("rest")

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

        def checked(request: Request) -> tuple:
            """(body, sender, None) for a readable request, else (None, None, a 4xx)."""
            if len(request.body or b"") > max_body_bytes():
                return None, None, _error(TOO_LARGE, 413)
            data = json_object(request.body)
            if data is None:
                return None, None, _error(BAD_REQUEST, 400)
            sender = valid_sender_id(data.get("sender"))
            if sender is None:
                return None, None, _error(BAD_SENDER, 400)
            return data, sender, None

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            data, sender, refused = checked(request)
            if refused is not None:
                return refused
            if not await self.limiter.allow(ip=peer_address(request), sender=sender):
                return response.json([{"recipient_id": sender, "text": TOO_MANY}], status=429)
            clean = clean_user_text(data.get("message"))
            metadata: Dict[str, Any] = allowed_metadata(data.get("metadata"))
            metadata.update(clean.metadata())  # server-computed keys come after the allow-list
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(clean.text, collector, sender, input_channel=self.name(),
                                metadata=metadata or None)
                )
            except Exception as error:  # noqa: BLE001 - the user still gets a safe answer
                logger.error("the bot failed to handle a REST message (%s)",
                             type(error).__name__)
                return response.json(self.safe_reply(sender, metadata))
            return response.json(collector.messages)

        @webhook.route("/forget", methods=["POST"])
        async def forget(request: Request) -> HTTPResponse:
            """Deletes the conversation of ``sender`` on the server (bot/privacy/forget.py).
            The sender id is the only key of a REST conversation: whoever knows it can
            continue, read and delete it."""
            from bot.privacy.forget import forget_sender

            _, sender, refused = checked(request)
            if refused is not None:
                return refused
            if not await self.limiter.allow(ip=peer_address(request), sender=sender):
                return response.json({"deleted": False, "error": TOO_MANY}, status=429)
            try:
                await forget_sender(request.app, sender)
            except Exception as error:  # noqa: BLE001 - honest answer, type only in the log
                logger.error("REST forget failed (%s)", type(error).__name__)
                return response.json({"deleted": False, "error": NOT_DELETED}, status=503,
                                     headers={"Retry-After": "60"})
            return response.json({"deleted": True})

        return webhook

    @staticmethod
    def safe_reply(sender: str, metadata: Dict[str, Any]) -> List[Dict[str, Any]]:
        young = metadata.get("mode") == "ung"
        return [{"recipient_id": sender, "text": safe_fallback_text(young=young)}]
