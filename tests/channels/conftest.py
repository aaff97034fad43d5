"""An in-process Sanic server with the SMS channel registered the way `rasa run` does it
(rasa.core.channels.channel.register), and a stand-in agent on a real SQLTrackerStore."""

from __future__ import annotations

import socket
import uuid
from types import SimpleNamespace
from urllib.parse import urlencode

import aiohttp
import pytest
from twilio.request_validator import RequestValidator

TOKEN = "test-auth-token-0123456789abcdef"
SECRET = "test-sender-secret-0123456789abcdef"
PHONE = "+4791234567"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeAgent:
    """Enough of rasa.core.agent.Agent: handle_message stores the turn in the real tracker
    store (like the processor does) and answers through the message's output channel."""

    def __init__(self, tracker_store, replies=None):
        from rasa.core.lock_store import InMemoryLockStore

        self.tracker_store = tracker_store
        self.lock_store = InMemoryLockStore()
        self.replies = replies or {}
        self.received = []

    async def handle_message(self, message):
        from rasa.shared.core.events import BotUttered, UserUttered
        from rasa.shared.core.trackers import DialogueStateTracker

        self.received.append(message)
        tracker = await self.tracker_store.retrieve(message.sender_id)
        if tracker is None:
            tracker = DialogueStateTracker(message.sender_id, [])
        tracker.update(UserUttered(message.text, input_channel=message.input_channel,
                                   message_id=message.message_id, metadata=message.metadata))
        for reply in self.replies.get(message.text, [{"text": f"Du skrev: {message.text}"}]):
            reply = dict(reply)
            text = reply.pop("text", None)
            custom = reply.pop("custom", None)
            data = {k: v for k, v in reply.items()}
            if custom:
                data["custom"] = custom
            event = BotUttered(text, data)
            tracker.update(event)
            await message.output_channel.send_response(message.sender_id, event.message())
        await self.tracker_store.save(tracker)


def sign(url: str, params: dict, token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


class Client:
    def __init__(self, base: str, session: aiohttp.ClientSession, url_override: str = ""):
        self.base = base
        self.url = f"{base}/webhooks/sms/webhook"
        self.session = session
        self.sign_url = url_override or self.url

    async def post(self, body: str, phone: str = PHONE, signature="sign", extra=None,
                   token: str = TOKEN):
        params = {"From": phone, "Body": body, "MessageSid": "SM" + uuid.uuid4().hex,
                  "To": "+4759000000", "NumMedia": "0", "FromCity": ""}
        params.update(extra or {})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature == "sign":
            headers["X-Twilio-Signature"] = sign(self.sign_url, params, token)
        elif signature is not None:
            headers["X-Twilio-Signature"] = signature
        async with self.session.post(self.url, data=urlencode(params), headers=headers) as r:
            return r.status, await r.text(), r.headers.get("Content-Type", "")


async def serve_channel(channel, agent, port: int, started: list):
    """An in-process Sanic app with ``channel`` registered the way `rasa run` does it, serving
    on ``port``; (server, client session) go into ``started`` for the fixture to close."""
    from rasa.core.channels.channel import register
    from sanic import Sanic

    app = Sanic(f"channel_test_{uuid.uuid4().hex}")
    app.ctx.agent = agent
    register([channel], app, route="/webhooks/")
    server = await app.create_server(host="127.0.0.1", port=port,
                                     return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.start_serving()
    session = aiohttp.ClientSession()
    started.append((server, session))
    return app, session


@pytest.fixture
def tracker_store(tmp_path):
    from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
    from rasa.shared.core.domain import Domain

    return FailSafeTrackerStore(
        SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))
    )


@pytest.fixture
async def start_sms(tracker_store, kb_url, monkeypatch):
    """Factory: start a server with a given channel configuration; returns its handles."""
    from sanic import Sanic

    from bot.channels.sms import SmsInput

    # several apps in one process: Sanic's test mode (registry, touch-up re-runs)
    monkeypatch.setattr(Sanic, "test_mode", True)
    started = []

    async def start(replies=None, public_url_for=None, **channel_kw):
        kw = {"auth_token": TOKEN, "sender_secret": SECRET, "kb_url": kb_url}
        kw.update(channel_kw)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        public = public_url_for(base) if public_url_for else ""
        if public:
            kw["public_url"] = public
        channel = SmsInput(**kw)
        agent = FakeAgent(tracker_store, replies)
        app, session = await serve_channel(channel, agent, port, started)
        return SimpleNamespace(client=Client(base, session, public), agent=agent,
                               channel=channel, app=app, store=tracker_store)

    yield start
    for server, session in started:
        await session.close()
        await server.close()
