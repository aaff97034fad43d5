"""SMS input channel for Rasa: a Twilio-compatible webhook that answers inline with TwiML.

``POST /webhooks/sms/webhook`` with form fields ``From``, ``Body`` (``MessageSid``): the
request must carry a valid ``X-Twilio-Signature`` (twilio's RequestValidator over
``SMS_PUBLIC_URL`` when set, else over the request URL), or it gets 403 and never reaches the
bot. The channel is enabled only when ``SMS_AUTH_TOKEN`` is non-empty; otherwise the route
answers 404. Replies go back in the HTTP response (``<Response><Message>…``), so no outbound
internet is needed (Rasa's built-in ``twilio`` channel sends through Twilio's REST API and
does not check signatures).

The SMS behaviour itself (GSM-7, pages, choices, keywords, rate limit, sender hash) lives in
``bot/channels/sms_logic.py``; this module is only the gateway adapter plus the Rasa glue
(tracker deletion for STOPP: bot/privacy/forget.py).

Bounds: a body over ``MAX_BODY_BYTES`` gets 413, more than 100 form fields 400. Replays: a
``MessageSid`` is answered once; it is remembered 24 h (in Redis when
``RATE_LIMIT_REDIS_URL``/``LOCK_STORE_URL`` is set, else in bounded memory), a repeat gets an
empty TwiML reply and never reaches the bot. A request without a MessageSid gets 400.

Configuration: keys in ``bot/credentials.yml`` under ``bot.channels.sms.SmsInput``, each
falling back to the environment variable: ``auth_token`` (SMS_AUTH_TOKEN), ``sender_secret``
(SMS_SENDER_SECRET, required when enabled), ``public_url`` (SMS_PUBLIC_URL),
``rate_limit_per_min`` (SMS_RATE_LIMIT_PER_MIN, default 10; 0 or less: off),
``state_ttl_seconds`` (SMS_STATE_TTL_SECONDS, default 1800, at least 1), ``kb_url`` (KB_URL),
``handover_service`` (HANDOVER_SERVICE, default parorendelinjen). The numbers are read by
bot/settings.py's rules: a value that is not a number gives the default, with a warning.

Privacy: the phone number (``From``) is turned into an HMAC at once and never stored, logged
or passed on; Twilio's other form fields (To, FromCity, …) are ignored.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from bot.channels.limits import OnceStore, SharedState, ThrottledWarning, max_body_bytes
from bot.channels.sms_logic import KnowledgeLookups, SenderHasher, SmsDialogue
from bot.channels.text import clean_user_text
from bot.privacy.forget import delete_conversation, forget_sender  # noqa: F401 (re-exported)
from bot.settings import Number, float_value, int_value

log = logging.getLogger(__name__)

CHANNEL_NAME = "sms"
MIN_SECRET_LENGTH = 16
MAX_FORM_FIELDS = 100  # Twilio sends about 20
MESSAGE_SID = re.compile(r"[A-Za-z0-9]{2,64}")
REPLAY_TTL_SECONDS = 24 * 3600


class SmsOutputChannel(OutputChannel):
    """Collects the bot's messages of one turn whole (text, buttons and custom together)."""

    def __init__(self) -> None:
        self.messages: List[Dict[Text, Any]] = []

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        keep = ("text", "buttons", "quick_replies", "custom", "image", "attachment")
        msg = {k: message.get(k) for k in keep if message.get(k)}
        if msg.get("quick_replies") and not msg.get("buttons"):
            msg["buttons"] = msg.pop("quick_replies")
        self.messages.append(msg)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        self.messages.append({"text": text})


# -- TwiML ----------------------------------------------------------------------------------


def twiml(*messages: str) -> str:
    body = "".join(f"<Message>{escape(m)}</Message>" for m in messages if m)
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default) or default


def _setting(credentials: Dict[Text, Any], key: str, env: str, default: str = "") -> str:
    value = credentials.get(key)
    if value is None or str(value).strip() == "":
        return _env(env, default).strip()
    return str(value).strip()


def _number(credentials: Dict[Text, Any], key: str, env: str, default: Number,
            read: Callable[..., Number], **bounds: Any) -> Number:
    """A number setting (bot/settings.py rules: blank gives the default, a bad value the
    default with a warning): the credentials key when it is set, else the environment."""
    value = credentials.get(key)
    if value is None or str(value).strip() == "":
        return read(env, os.environ.get(env), default, **bounds)
    return read(f"{key} (credentials.yml)", value, default, **bounds)


class SmsInput(InputChannel):
    """Twilio-compatible SMS webhook with inline TwiML replies."""

    @classmethod
    def name(cls) -> Text:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SmsInput":
        c = credentials or {}
        return cls(
            auth_token=_setting(c, "auth_token", "SMS_AUTH_TOKEN"),
            sender_secret=_setting(c, "sender_secret", "SMS_SENDER_SECRET"),
            public_url=_setting(c, "public_url", "SMS_PUBLIC_URL"),
            rate_limit_per_min=_number(c, "rate_limit_per_min", "SMS_RATE_LIMIT_PER_MIN", 10,
                                       int_value),
            state_ttl_seconds=_number(c, "state_ttl_seconds", "SMS_STATE_TTL_SECONDS", 1800.0,
                                      float_value, minimum=1.0),
            kb_url=_setting(c, "kb_url", "KB_URL") or None,
            handover_service=_setting(c, "handover_service", "HANDOVER_SERVICE",
                                      "parorendelinjen"),
        )

    def __init__(
        self,
        auth_token: str = "",
        sender_secret: str = "",
        public_url: str = "",
        rate_limit_per_min: int = 10,
        state_ttl_seconds: float = 1800.0,
        kb_url: Optional[str] = None,
        handover_service: str = "parorendelinjen",
        lookups: Optional[KnowledgeLookups] = None,
    ) -> None:
        self.enabled = bool(auth_token)
        self.public_url = public_url or ""
        self.validator = RequestValidator(auth_token) if self.enabled else None
        self.hasher: Optional[SenderHasher] = None
        if self.enabled:
            if len(sender_secret or "") < MIN_SECRET_LENGTH:
                raise ValueError(
                    "SMS channel: SMS_AUTH_TOKEN is set, so SMS_SENDER_SECRET must be set too "
                    f"(at least {MIN_SECRET_LENGTH} characters; it keys the phone-number hash)"
                )
            self.hasher = SenderHasher(sender_secret)
        self.lookups = lookups or KnowledgeLookups(kb_url, handover_service)
        # Redis when RATE_LIMIT_REDIS_URL / LOCK_STORE_URL is set, else this channel's memory
        self.shared = SharedState()
        self.dialogue = SmsDialogue(
            rate_limit_per_min=rate_limit_per_min,
            state_ttl=state_ttl_seconds,
            sms_text=self.lookups.sms_text,
            handover=self.lookups.handover,
            shared=self.shared,
        )
        self.seen = OnceStore("sms-sid", REPLAY_TTL_SECONDS, state=self.shared)
        self._refused = ThrottledWarning(
            log, "SMS webhook: %d request(s) with a missing or invalid signature refused")
        if self.enabled:
            log.info("SMS channel enabled at /webhooks/sms/webhook")
        else:
            log.info("SMS channel disabled (SMS_AUTH_TOKEN is empty)")

    def _signed_url(self, request: Request) -> str:
        if self.public_url:
            if request.query_string and "?" not in self.public_url:
                return f"{self.public_url}?{request.query_string}"
            return self.public_url
        return request.url

    def _valid_signature(self, request: Request, params: Dict[str, List[str]]) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or self.validator is None:
            return False
        return bool(self.validator.validate(self._signed_url(request), _Params(params),
                                            signature))

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        bp = Blueprint("sms_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"status": "disabled"}, status=404)
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text("SMS channel disabled", status=404)
            if len(request.body or b"") > max_body_bytes():
                return response.text("request too large", status=413)
            try:
                params = parse_qs((request.body or b"").decode("utf-8"), keep_blank_values=True,
                                  max_num_fields=MAX_FORM_FIELDS)
            except (UnicodeDecodeError, ValueError):
                return response.text("bad request", status=400)
            if not self._valid_signature(request, params):
                self._refused.hit()
                return response.text("forbidden", status=403)
            # Replays: a signed request carries no timestamp, so each MessageSid is answered
            # once (kept 24 h). A request without one is refused before any side effect
            # (Twilio always sends it).
            sid = (params.get("MessageSid") or [""])[0]
            if not MESSAGE_SID.fullmatch(sid):
                return response.text("missing MessageSid", status=400)
            if not await self.seen.first_time(sid):
                log.info("SMS webhook: a repeated MessageSid was ignored")
                return response.text(twiml(), content_type="application/xml; charset=utf-8")
            number = (params.get("From") or [""])[0]
            if not number:
                return response.text("missing From", status=400)
            sender = self.hasher(number)
            del number, params["From"]
            text = (params.get("Body") or [""])[0]
            app = request.app

            async def ask_bot(sender_id: str, message: str) -> List[Dict[str, Any]]:
                out = SmsOutputChannel()
                clean = clean_user_text(message)
                await on_new_message(
                    UserMessage(clean.text, out, sender_id, input_channel=self.name(),
                                metadata=clean.metadata() or None)
                )
                return out.messages

            async def forget(sender_id: str) -> None:
                await forget_sender(app, sender_id)

            reply = await self.dialogue.handle(sender, text, ask_bot, forget)
            return response.text(twiml(reply), content_type="application/xml; charset=utf-8")

        return bp


class _Params:
    """Form fields for RequestValidator (it reads multi-valued fields through getlist)."""

    def __init__(self, params: Dict[str, List[str]]):
        self._p = params

    def __iter__(self):
        return iter(self._p)

    def __bool__(self) -> bool:
        return bool(self._p)

    def getlist(self, key: str) -> List[str]:
        return self._p[key]
