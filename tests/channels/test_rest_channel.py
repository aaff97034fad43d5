"""The REST channel over HTTP in an in-process Sanic server (registered the way `rasa run`
does it): size, JSON and sender-id limits, rate limits per address and sender, the metadata
allow-list and the safe reply when the turn fails. The real bot behind it: tests/e2e."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

import pytest

from bot.channels import limits as lim
from tests.channels.conftest import FakeAgent, free_port, serve_channel


class BrokenAgent(FakeAgent):
    async def handle_message(self, message):
        self.received.append(message)
        raise RuntimeError("tracker store down: SELECT ... 'secret words'")


@pytest.fixture
async def start_rest(tracker_store, monkeypatch):
    from sanic import Sanic

    from bot.channels.rest import RestInput

    monkeypatch.setattr(Sanic, "test_mode", True)
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    monkeypatch.delenv("RATE_LIMIT_REDIS_URL", raising=False)
    started = []

    async def start(agent_cls=FakeAgent, **env):
        monkeypatch.setenv("RATE_LIMIT_PREFIX", f"rest-test-{uuid.uuid4().hex[:8]}")
        for k, v in env.items():
            monkeypatch.setenv(k, str(v))
        port = free_port()
        agent = agent_cls(tracker_store)
        _, session = await serve_channel(RestInput(), agent, port, started)
        url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"

        async def post(payload=None, data=None, headers=None, url=url):
            body = data if data is not None else json.dumps(payload).encode()
            async with session.post(url, data=body, headers=headers or {}) as r:
                return r.status, await r.json(content_type=None)

        return SimpleNamespace(post=post, agent=agent, url=url)

    yield start
    for server, session in started:
        await session.close()
        await server.close()


def fresh() -> str:
    return f"s-{uuid.uuid4().hex[:10]}"


async def test_a_message_is_answered(start_rest):
    s = await start_rest()
    status, replies = await s.post({"sender": "kari", "message": "hei"})
    assert status == 200 and replies[0]["text"] == "Du skrev: hei"


async def test_a_body_over_the_limit_gets_413_in_norwegian(start_rest):
    s = await start_rest(MAX_BODY_BYTES=4096)
    status, reply = await s.post({"sender": "kari", "message": "a" * 5000})
    assert status == 413 and "for lang" in reply["error"] and "113" in reply["error"]
    status, _ = await s.post({"sender": "kari", "message": "a" * 3000})
    assert status == 200
    assert len(s.agent.received) == 1


@pytest.mark.parametrize("body", [
    b"[" * 10_000, b'{"sender": "x", "message": ' + b"[" * 5000 + b"}", b"\xff\xfe",
    b"not json", b"[1, 2]", b"", b'"just a string"',
])
async def test_unreadable_bodies_get_400(start_rest, body):
    s = await start_rest()
    status, reply = await s.post(data=body)
    assert status == 400 and "JSON" in reply["error"]
    assert s.agent.received == []


@pytest.mark.parametrize("sender", ["", "x" * 65, "a b", "<script>", "æøå", None, True,
                                    ["a"], {"a": 1}, "a\nb", 1.5])
async def test_bad_sender_ids_get_400(start_rest, sender):
    s = await start_rest()
    status, reply = await s.post({"sender": sender, "message": "hei"})
    assert status == 400 and "64" in reply["error"]
    assert s.agent.received == []


async def test_a_fresh_sender_each_time_does_not_get_around_the_address_limit(start_rest):
    s = await start_rest(RATE_LIMIT_PER_IP_PER_MIN=5, REST_RATE_LIMIT_PER_MIN=30)
    statuses = [(await s.post({"sender": fresh(), "message": "hei"}))[0] for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    # nor does a forged X-Forwarded-For when no proxy is trusted
    status, replies = await s.post({"sender": fresh(), "message": "hei"},
                                   headers={"X-Forwarded-For": "198.51.100.77"})
    assert status == 429 and "113" in replies[0]["text"]
    assert len(s.agent.received) == 5


async def test_behind_a_trusted_proxy_the_forwarded_address_counts(start_rest):
    s = await start_rest(RATE_LIMIT_PER_IP_PER_MIN=2, TRUSTED_PROXIES=1)
    for client in ("198.51.100.1", "198.51.100.2"):
        statuses = [(await s.post({"sender": fresh(), "message": "hei"},
                                  headers={"X-Forwarded-For": f"6.6.6.{i}, {client}"}))[0]
                    for i in range(3)]
        assert statuses == [200, 200, 429], client


async def test_per_sender_limit(start_rest):
    s = await start_rest(RATE_LIMIT_PER_IP_PER_MIN=100, REST_RATE_LIMIT_PER_MIN=3)
    statuses = [(await s.post({"sender": "same", "message": "hei"}))[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert (await s.post({"sender": "other", "message": "hei"}))[0] == 200


async def test_only_allow_listed_metadata_reaches_the_bot(start_rest):
    s = await start_rest()
    meta = {"mode": "ung", "crisis": {"level": "acute"}, "name": "Kari Nordmann",
            "pad": "x" * 2000}
    status, _ = await s.post({"sender": "kari", "message": "hei", "metadata": meta})
    assert status == 200
    assert s.agent.received[0].metadata == {"mode": "ung"}
    await s.post({"sender": "kari", "message": "hei", "metadata": {"crisis": True}})
    assert s.agent.received[1].metadata is None


async def test_a_failed_turn_gets_the_safe_reply_with_113(start_rest, caplog):
    s = await start_rest(agent_cls=BrokenAgent)
    status, replies = await s.post({"sender": "kari", "message": "hei"})
    assert status == 200
    assert replies == [{"recipient_id": "kari", "text": lim.safe_fallback_text()}]
    assert "113" in replies[0]["text"]
    status, replies = await s.post({"sender": "ung1", "message": "hei",
                                    "metadata": {"mode": "ung"}})
    assert replies[0]["text"] == lim.safe_fallback_text(young=True)
    assert "secret words" not in caplog.text


async def test_forget_deletes_the_conversation_on_the_server(start_rest, tracker_store):
    s = await start_rest()
    await s.post({"sender": "kari-forget", "message": "hei"})
    await s.post({"sender": "ola-keeps", "message": "hei"})
    assert await tracker_store.retrieve("kari-forget") is not None
    url = s.url.rsplit("/", 1)[0] + "/forget"
    status, reply = await s.post({"sender": "kari-forget"}, url=url)
    assert status == 200 and reply == {"deleted": True}
    assert await tracker_store.retrieve("kari-forget") is None
    assert await tracker_store.retrieve("ola-keeps") is not None
    status, _ = await s.post({"sender": "a b"}, url=url)
    assert status == 400


async def test_forget_while_the_tracker_db_fails_says_so(start_rest, tracker_store):
    import sqlite3

    s = await start_rest()
    await s.post({"sender": "kari-forget", "message": "hei"})
    with sqlite3.connect(tracker_store._tracker_store.engine.url.database) as conn:
        conn.execute("DROP TABLE events")
    status, reply = await s.post({"sender": "kari-forget"},
                                 url=s.url.rsplit("/", 1)[0] + "/forget")
    assert status == 503 and reply["deleted"] is False and "113" in reply["error"]
