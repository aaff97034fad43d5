"""socket.io input channel for the web widget: Rasa 3.6.21's `socketio` channel with two fixes.

Rasa 3.6.21 (rasa/core/channels/socketio.py) has two bugs that break the widget with
`session_persistence: true` and python-socketio 5.x:

1. `session_request` calls `sio.enter_room(...)` without `await` (RasaHQ/rasa#13027). In
   python-socketio 5.x `AsyncServer.enter_room` is a coroutine, so the socket never joins the
   room named after the session id, and every bot reply (emitted to that room) is lost.
2. `send_custom_json` calls `sio.emit(event, **custom)`: the keys of the contract's `custom`
   block (`topic`, `article`, ...) become keyword arguments of `emit()`, which raises
   `TypeError`, so no `custom` block ever reaches the browser.

This channel keeps Rasa's protocol (`session_request` / `session_confirm`, `user_uttered` with
`session_id` and the metadata under `metadata_key`, `bot_uttered` with `text` /
`quick_replies`) and emits the `custom` block as `{"custom": {...}}` on `bot_uttered`.
It also checks the `Origin` of socket.io connections against `cors_allowed_origins`
(browsers apply no CORS to WebSockets; Rasa 3.6.21 disables python-engineio's own check).
HTTP long-polling CORS headers stay with Sanic's `--cors`.

credentials.yml:

    bot.web.channel.SocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
      metadata_key: customData

`cors_allowed_origins` (a list, or a space/comma separated string; "*" allows any) defaults to
the `CORS_ORIGINS` environment variable (what `make run` passes to `--cors`); when neither is
set, any origin may connect (Rasa's behaviour).
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.core.channels.channel
import rasa.shared.utils.io
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.rest import TOO_MANY
from bot.channels.sms_logic import RateLimiter
from bot.channels.text import clean_user_text

logger = logging.getLogger(__name__)


def parse_origins(value: Any) -> Optional[List[str]]:
    """`None` means any origin; otherwise the list of allowed origins (no trailing slash)."""
    if value is None:
        return None
    items = value if isinstance(value, (list, tuple)) else str(value).replace(",", " ").split()
    origins = [str(o).strip().rstrip("/") for o in items if str(o).strip()]
    if not origins or "*" in origins:
        return None
    return origins


class SocketIOOutput(RasaSocketIOOutput):
    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """Emit the custom block as data (`{"custom": {...}}`), not as emit() kwargs."""
        await self._send_message(recipient_id, {"custom": json_message})


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io channel with `await enter_room`, working custom JSON, origin check."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SocketIOInput":
        credentials = credentials or {}
        channel = cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("session_persistence", False),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("jwt_key"),
            credentials.get("jwt_method", "HS256"),
            credentials.get("metadata_key", "metadata"),
        )
        origins = credentials.get("cors_allowed_origins")
        if origins is None:
            origins = os.environ.get("CORS_ORIGINS")
        channel.allowed_origins = parse_origins(origins)
        # per-session limit (SOCKETIO_RATE_LIMIT_PER_MIN, default 30; 0 = off)
        channel.limiter = RateLimiter(
            int(os.environ.get("SOCKETIO_RATE_LIMIT_PER_MIN", "30")), 60.0)
        return channel

    allowed_origins: Optional[List[str]] = None
    limiter: RateLimiter = RateLimiter(0, 60.0)

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        if self.sio is None:
            return super().get_output_channel()  # warns and returns None
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def origin_allowed(self, origin: Optional[str]) -> bool:
        if self.allowed_origins is None or not origin:
            # no Origin header: not a browser (curl, server-to-server); CORS is a browser rule
            return True
        return origin.rstrip("/") in self.allowed_origins

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # `cors_allowed_origins=[]` leaves CORS headers to Sanic's --cors (as Rasa does);
        # the origin is checked in `connect` below instead.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not self.origin_allowed(origin):
                logger.warning(f"socket.io connection from origin {origin!r} refused.")
                return False
            if self.jwt_key:
                token = auth.get("token") if auth else None
                payload = (
                    rasa.core.channels.channel.decode_bearer_token(
                        token, self.jwt_key, self.jwt_algorithm
                    )
                    if token
                    else None
                )
                return bool(payload)
            logger.debug(f"User {sid} connected to socketIO endpoint.")
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            logger.debug(f"User {sid} disconnected from socketIO endpoint.")

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id or len(session_id) > 128:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                # the fix for RasaHQ/rasa#13027: enter_room is a coroutine in python-socketio 5
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                return
            output_channel = SocketIOOutput(sio, self.bot_message_evt)
            if self.session_persistence:
                if not data.get("session_id"):
                    rasa.shared.utils.io.raise_warning(
                        "A message without a valid session_id was received. This message "
                        "will be ignored. Make sure to set a proper session id using the "
                        "`session_request` socketIO event."
                    )
                    return
                sender_id = str(data["session_id"])
            else:
                sender_id = sid

            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            if not isinstance(metadata, dict):
                metadata = {}
            if not self.limiter.allow(sender_id):
                await sio.emit(self.bot_message_evt, {"text": TOO_MANY}, room=sid,
                               namespace=self.namespace)
                return
            clean = clean_user_text(data.get("message"))
            metadata.update(clean.metadata())
            message = UserMessage(
                clean.text,
                output_channel,
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return socketio_webhook
