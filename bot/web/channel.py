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

`cors_allowed_origins` (a list, or a space/comma separated string; "*" allows any, and must be
said explicitly) defaults to the `CORS_ORIGINS` environment variable (what `make run` passes to
`--cors`). When neither is set, no browser origin may connect (fails closed, like Sanic's
`--cors ""`) and an error is logged at start-up: REST and SMS keep working, only the widget is
refused. (Refusing to start would take REST and SMS down for a widget setting.)

Sessions (review L2, H2): the server issues every session id, a random 128-bit value in hex;
a client id is kept only when it has that form (`^[0-9a-f]{32}$`, e.g. the widget resuming
after a reload), anything else is replaced. `session_request` binds the socket to its session;
`user_uttered` with another `session_id` is dropped. Knowing the id is the capability:

- socket.io `forget` (`{"session_id": ...}`, only for the session this socket confirmed)
  deletes the conversation on the server under the conversation lock and acknowledges
  `{"ok": true}` (or `{"ok": false}` when it could not be deleted);
- `POST /webhooks/socketio/forget` with the session id as the body (what the widget's
  «Rask utgang» sends with `navigator.sendBeacon` while leaving the page) does the same and
  answers 204, 400 for a malformed id, 403 for a refused origin, 503 when it failed.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.core.channels.channel
import rasa.shared.utils.io
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint as RasaSocketBlueprint
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput as RasaSocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.limits import (
    Limiter,
    ThrottledWarning,
    allowed_metadata,
    max_body_bytes,
    peer_from_environ,
    safe_fallback_text,
    web_limiter,
)
from bot.channels.rest import TOO_MANY
from bot.channels.text import clean_user_text
from bot.privacy.forget import ForgetError, forget_sender

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"[0-9a-f]{32}")


def new_session_id() -> str:
    """A server-issued session id: 128 random bits, lower-case hex."""
    return secrets.token_hex(16)


def valid_session_id(value: Any) -> bool:
    return isinstance(value, str) and SESSION_ID.fullmatch(value) is not None


class SocketBlueprint(RasaSocketBlueprint):
    """Rasa's blueprint that also remembers the Sanic app (for the running agent)."""

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        self.ctx.app = app
        super().register(app, options)


def parse_origins(value: Any) -> Optional[List[str]]:
    """`None` means any origin ("*"); otherwise the list of allowed origins (no trailing
    slash). Unset or empty gives `[]`: no browser origin (fails closed)."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).replace(",", " ").split()
    origins = [str(o).strip().rstrip("/") for o in items if str(o).strip()]
    if "*" in origins:
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
        if channel.allowed_origins == []:
            logger.error("socket.io: CORS_ORIGINS (or cors_allowed_origins) is not set, so "
                         "no browser may open the chat widget. Set it to the sites that embed "
                         "the widget (\"*\" allows any).")
        # per client address (RATE_LIMIT_PER_IP_PER_MIN, shared with REST) and per session
        # (SOCKETIO_RATE_LIMIT_PER_MIN, default 30; 0 = off); in Redis when configured
        channel.limiter = web_limiter("socketio")
        return channel

    allowed_origins: Optional[List[str]] = None
    limiter: Optional[Limiter] = None

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        if self.sio is None:
            return super().get_output_channel()  # warns and returns None
        return SocketIOOutput(self.sio, self.bot_message_evt)

    def origin_allowed(self, origin: Optional[str]) -> bool:
        if self.allowed_origins is None or origin is None:
            # no Origin header: not a browser (curl, server-to-server); CORS is a browser rule
            return True
        return origin.rstrip("/") in self.allowed_origins

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # `cors_allowed_origins=[]` leaves CORS headers to Sanic's --cors (as Rasa does);
        # the origin is checked in `connect` below instead.
        # one socket.io HTTP body or websocket message: at most 4 x MAX_BODY_BYTES (a polling
        # POST may carry several packets); python-socketio's default is 1 MB
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[],
                          max_http_buffer_size=4 * max_body_bytes())
        socketio_webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        refused_origins = ThrottledWarning(
            logger, "socket.io: %d connection(s) from origins not in CORS_ORIGINS refused")
        peers: Dict[Text, str] = {}  # sid -> client address (for the rate limit)

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not self.origin_allowed(origin):
                refused_origins.hit()  # never the client's Origin value itself
                return False
            peers[sid] = peer_from_environ(environ)
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

        # the session each socket confirmed (L2); only this process's sockets, which is
        # what a socket.io connection is bound to anyway
        bound: Dict[Text, Text] = {}

        async def forget_session(session_id: Text) -> bool:
            """Deletes the conversation; unbinds every local socket from it."""
            app = getattr(socketio_webhook.ctx, "app", None)
            try:
                await forget_sender(app, session_id)
            except ForgetError:
                return False
            for other, sess in list(bound.items()):
                if sess == session_id:
                    bound.pop(other, None)
                    await sio.leave_room(other, session_id, namespace=self.namespace)
            return True

        @socketio_webhook.route("/forget", methods=["POST"])
        async def forget_beacon(request: Request) -> HTTPResponse:
            # navigator.sendBeacon from «Rask utgang»: the page is gone, nobody reads this
            if not self.origin_allowed(request.headers.get("origin")):
                return response.empty(status=403)
            body = (request.body or b"")[:64].decode("ascii", "replace").strip()
            if not valid_session_id(body):
                return response.empty(status=400)
            ok = await forget_session(body)
            return response.empty(status=204 if ok else 503)

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            bound.pop(sid, None)
            peers.pop(sid, None)
            logger.debug(f"User {sid} disconnected from socketIO endpoint.")

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not valid_session_id(session_id):
                session_id = new_session_id()
            previous = bound.get(sid)
            if previous and previous != session_id:
                await sio.leave_room(sid, previous, namespace=self.namespace)
            bound[sid] = session_id
            if self.session_persistence:
                # the fix for RasaHQ/rasa#13027: enter_room is a coroutine in python-socketio 5
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on("forget", namespace=self.namespace)
        async def forget(sid: Text, data: Any) -> Dict[Text, bool]:
            """Deletes this socket's conversation on the server; the ack says if it did."""
            wanted = data.get("session_id") if isinstance(data, dict) else None
            session_id = bound.get(sid)
            if session_id is None or wanted != session_id:
                return {"ok": False}
            return {"ok": await forget_session(session_id)}

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                return
            output_channel = SocketIOOutput(sio, self.bot_message_evt)
            if self.session_persistence:
                session_id = data.get("session_id")
                if not session_id or session_id != bound.get(sid):
                    # not the session this socket confirmed (L2): dropped, not logged raw
                    logger.debug("socket.io message for a session this socket did not "
                                 "confirm: dropped")
                    return
                sender_id = session_id
            else:
                sender_id = sid

            # the allow-list (mode only); JSON text that is too deep or too big is dropped
            metadata = allowed_metadata(data.get(self.metadata_key))
            limiter = self.limiter or web_limiter("socketio")
            if not await limiter.allow(ip=peers.get(sid), sender=sender_id):
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
            try:
                await on_new_message(message)
            except Exception:  # noqa: BLE001 - logged; the user still gets 113 (review L4)
                logger.exception("the bot failed to handle a socket.io message")
                await sio.emit(
                    self.bot_message_evt,
                    {"text": safe_fallback_text(young=metadata.get("mode") == "ung"),
                     "custom": {"degraded": True}},
                    room=sid,
                    namespace=self.namespace,
                )

        return socketio_webhook
