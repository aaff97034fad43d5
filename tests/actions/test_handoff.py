"""Live hand-off against a real local aiohttp receiver: consent, summary without free text,
timeout and retries, honest result; guarded against floods and forgery (review M2): https
only, no redirects, HMAC signature, known services, one per conversation, a global budget
(shared through Redis when configured)."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

import pytest
from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionConfirm, Budget, reset_budget
from actions.handover import ActionHandover
from tests.actions.conftest import TRACKERS, custom_of, run_action, text_of
from tests.conftest import load_json
from tests.servers import free_port


@pytest.fixture(autouse=True)
def _fresh_budget(monkeypatch):
    monkeypatch.delenv("RATE_LIMIT_REDIS_URL", raising=False)
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    monkeypatch.delenv("HANDOFF_SECRET", raising=False)
    reset_budget()
    yield
    reset_budget()


@pytest.fixture
async def receiver():
    """A real HTTP server on a free port; `status` decides its answer."""
    state = {"status": 200, "received": []}

    state["raw"] = []

    async def handle(request):
        state["raw"].append((await request.read(), dict(request.headers)))
        state["received"].append(await request.json())
        if state["status"] in (301, 302, 307, 308):
            raise web.HTTPTemporaryRedirect("/elsewhere")
        return web.json_response({"ok": state["status"] == 200}, status=state["status"])

    async def elsewhere(request):
        state["redirected"] = True
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/handoff", handle)
    app.router.add_post("/elsewhere", elsewhere)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    state["url"] = f"http://127.0.0.1:{port}/handoff"
    yield state
    await runner.cleanup()


@pytest.fixture
def handoff_on(monkeypatch, receiver):
    monkeypatch.setenv("HANDOFF_URL", receiver["url"])
    monkeypatch.setenv("HANDOFF_RETRIES", "2")
    monkeypatch.setenv("HANDOFF_TIMEOUT_SECONDS", "2")
    return receiver


async def test_handover_asks_for_consent_when_configured(handoff_on, tracker, dispatcher,
                                                         domain_dict):
    events = await run_action(ActionHandover(), dispatcher, tracker("asks_for_a_human"),
                              domain_dict)
    assert len(dispatcher.messages) == 2
    ask = dispatcher.messages[1]
    assert "sammendrag" in ask["text"] and [b["payload"] for b in ask["buttons"]] == [
        "/affirm", "/deny"]
    assert {"event": "slot", "name": "pending_offer", "value": "handoff"} in [
        {k: e[k] for k in ("event", "name", "value")} for e in events]


async def test_no_consent_question_without_a_receiver(monkeypatch, tracker, dispatcher,
                                                      domain_dict):
    monkeypatch.delenv("HANDOFF_URL", raising=False)
    events = await run_action(ActionHandover(), dispatcher, tracker("asks_for_a_human"),
                              domain_dict)
    assert len(dispatcher.messages) == 1 and events == []


async def test_yes_sends_topics_but_no_free_text(handoff_on, tracker, dispatcher, domain_dict):
    await run_action(ActionConfirm(), dispatcher, tracker("handover_then_yes"), domain_dict)
    [payload] = handoff_on["received"]
    assert payload["topics"] == ["avlastning", "egen_helse"]
    assert payload["young_mode"] is False and payload["service"] == "parorendelinjen"
    assert "demens" not in str(payload) and "orker" not in str(payload)
    assert text_of(dispatcher).startswith("Sammendraget er sendt")
    assert custom_of(dispatcher)["handoff"] == {"sent": True}


async def test_receiver_errors_are_retried_then_reported_honestly(handoff_on, tracker,
                                                                  dispatcher, domain_dict):
    handoff_on["status"] = 503
    await run_action(ActionConfirm(), dispatcher, tracker("handover_then_yes"), domain_dict)
    assert len(handoff_on["received"]) == 3  # first try + 2 retries
    assert "fikk ikke sendt" in text_of(dispatcher)
    assert custom_of(dispatcher)["handoff"] == {"sent": False}


async def test_unreachable_receiver_is_reported(monkeypatch, tracker, dispatcher, domain_dict):
    monkeypatch.setenv("HANDOFF_URL", f"http://127.0.0.1:{free_port()}/nobody")
    monkeypatch.setenv("HANDOFF_RETRIES", "1")
    await run_action(ActionConfirm(), dispatcher, tracker("handover_then_yes"), domain_dict)
    assert "fikk ikke sendt" in text_of(dispatcher)


async def test_no_sends_nothing(handoff_on, tracker, dispatcher, domain_dict):
    events = await run_action(ActionConfirm(), dispatcher, tracker("handover_then_no"),
                              domain_dict)
    assert handoff_on["received"] == []
    assert "sender vi ingenting" in text_of(dispatcher)
    assert events[0]["name"] == "pending_offer" and events[0]["value"] is None


async def test_yes_without_an_offer_shows_the_menu(tracker, dispatcher, domain_dict):
    await run_action(ActionConfirm(), dispatcher, tracker("yes_out_of_the_blue"), domain_dict)
    assert len(dispatcher.messages[0]["buttons"]) >= 4


def yes_from(sender: str, service: str = "parorendelinjen") -> Tracker:
    state = load_json(TRACKERS / "handover_then_yes.json")
    state["sender_id"] = sender
    state["slots"]["handoff_service"] = service
    return Tracker.from_dict(state)


async def test_the_summary_is_signed(handoff_on, monkeypatch, dispatcher, domain_dict):
    monkeypatch.setenv("HANDOFF_SECRET", "a-shared-secret-for-the-test")
    await run_action(ActionConfirm(), dispatcher, yes_from("signed"), domain_dict)
    [(body, headers)] = handoff_on["raw"]
    stamp = headers["X-Handoff-Timestamp"]
    assert abs(int(stamp) - time.time()) < 60
    expected = hmac.new(b"a-shared-secret-for-the-test", stamp.encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Handoff-Signature"] == f"sha256={expected}"
    assert text_of(dispatcher).startswith("Sammendraget er sendt")


async def test_redirects_are_not_followed(handoff_on, dispatcher, domain_dict):
    handoff_on["status"] = 307
    await run_action(ActionConfirm(), dispatcher, yes_from("redirected"), domain_dict)
    assert len(handoff_on["received"]) == 1 and "redirected" not in handoff_on
    assert "fikk ikke sendt" in text_of(dispatcher)


async def test_plain_http_to_another_host_turns_the_hand_off_off(monkeypatch, tracker,
                                                                 dispatcher, domain_dict):
    monkeypatch.setenv("HANDOFF_URL", "http://receiver.example.no/handoff")
    events = await run_action(ActionHandover(), dispatcher, tracker("asks_for_a_human"),
                              domain_dict)
    assert len(dispatcher.messages) == 1 and events == []  # no consent question


async def test_an_unknown_service_is_not_sent(handoff_on, dispatcher, domain_dict):
    await run_action(ActionConfirm(), dispatcher, yes_from("forged", "<b>ring meg</b>"),
                     domain_dict)
    assert handoff_on["received"] == []
    assert "fikk ikke sendt" in text_of(dispatcher)


async def test_one_summary_per_conversation(handoff_on, domain_dict):
    first, second = CollectingDispatcher(), CollectingDispatcher()
    await run_action(ActionConfirm(), first, yes_from("twice"), domain_dict)
    await run_action(ActionConfirm(), second, yes_from("twice"), domain_dict)
    assert len(handoff_on["received"]) == 1
    assert "allerede sendt" in text_of(second)
    assert custom_of(second)["handoff"] == {"sent": False}


async def test_a_global_budget_per_minute(handoff_on, monkeypatch, domain_dict):
    monkeypatch.setenv("HANDOFF_MAX_PER_MIN", "3")
    reset_budget()
    replies = []
    for i in range(5):
        dispatcher = CollectingDispatcher()
        await run_action(ActionConfirm(), dispatcher, yes_from(f"flood-{i}"), domain_dict)
        replies.append(text_of(dispatcher))
    assert len(handoff_on["received"]) == 3
    assert all("fikk ikke sendt" in r for r in replies[3:]), replies


async def test_the_budget_is_shared_through_redis(monkeypatch):
    from tests.bot.test_lock_store import redis_up

    if not redis_up():
        pytest.skip("Redis not running at 127.0.0.1:6379")
    monkeypatch.setenv("RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:6379/7")
    monkeypatch.setenv("RATE_LIMIT_PREFIX", f"test-handoff-{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("HANDOFF_MAX_PER_MIN", "2")
    one, two = Budget(), Budget()  # as in two action-server processes
    assert await one.allow("a") is None
    assert await two.allow("a") == "already"
    assert await two.allow("b") is None
    assert await one.allow("c") == "busy"
