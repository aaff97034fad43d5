"""Live hand-off against a real local aiohttp receiver: consent, summary without free text,
timeout and retries, honest result."""

from __future__ import annotations

import pytest
from aiohttp import web

from actions.handoff import ActionConfirm
from actions.handover import ActionHandover
from tests.actions.conftest import custom_of, run_action, text_of
from tests.servers import free_port


@pytest.fixture
async def receiver():
    """A real HTTP server on a free port; `status` decides its answer."""
    state = {"status": 200, "received": []}

    async def handle(request):
        state["received"].append(await request.json())
        return web.json_response({"ok": state["status"] == 200}, status=state["status"])

    app = web.Application()
    app.router.add_post("/handoff", handle)
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
