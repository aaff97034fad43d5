"""The SMS webhook over HTTP: signatures, TwiML, STOPP on a real SQLTrackerStore, privacy."""

from __future__ import annotations

import logging
import re
import sqlite3
from xml.etree import ElementTree

import pytest

from bot.channels import sms_logic as sl
from bot.channels.sms import SmsInput, delete_conversation, twiml
from bot.channels.sms_logic import SenderHasher
from tests.channels.conftest import PHONE, SECRET, TOKEN

DIGITS = re.sub(r"\D", "", PHONE)


def messages(xml: str) -> list:
    root = ElementTree.fromstring(xml)
    assert root.tag == "Response"
    return [m.text or "" for m in root.findall("Message")]


async def test_signed_request_reaches_the_bot_and_gets_twiml(start_sms):
    s = await start_sms()
    status, body, ctype = await s.client.post("Hei & hallo <3")
    assert status == 200 and ctype.startswith("application/xml")
    assert messages(body) == ["Du skrev: Hei & hallo <3"]  # escaped on the wire, intact here
    assert "&amp;" in body and "&lt;3" in body
    (msg,) = s.agent.received
    assert msg.sender_id == SenderHasher(SECRET)(PHONE)
    assert msg.input_channel == "sms"


@pytest.mark.parametrize(
    "signature",
    [None, "", "bm90IGEgc2lnbmF0dXJl", "forged"],
    ids=["missing", "empty", "garbage", "forged-other-token"],
)
async def test_unsigned_or_forged_requests_get_403_and_never_reach_the_bot(start_sms, signature):
    s = await start_sms()
    if signature == "forged":
        status, _, _ = await s.client.post("hei", token="some-other-token-123456")
    else:
        status, _, _ = await s.client.post("hei", signature=signature)
    assert status == 403
    assert s.agent.received == []


async def test_tampered_body_is_refused(start_sms):
    s = await start_sms()
    from urllib.parse import urlencode

    from tests.channels.conftest import sign

    params = {"From": PHONE, "Body": "hei", "MessageSid": "SM1"}
    sig = sign(s.client.url, params)
    params["Body"] = "noe annet"
    async with s.client.session.post(
        s.client.url, data=urlencode(params),
        headers={"X-Twilio-Signature": sig,
                 "Content-Type": "application/x-www-form-urlencoded"},
    ) as r:
        assert r.status == 403
    assert s.agent.received == []


async def test_signature_over_public_url_behind_a_proxy(start_sms):
    public = "https://sms.example.no/webhooks/sms/webhook"
    s = await start_sms(public_url_for=lambda base: public)
    status, _, _ = await s.client.post("hei")  # signed over the public URL
    assert status == 200 and len(s.agent.received) == 1
    s.client.sign_url = s.client.url  # signed over the local URL: not what the gateway used
    status, _, _ = await s.client.post("hei")
    assert status == 403 and len(s.agent.received) == 1


@pytest.mark.parametrize("token", ["", None])
async def test_disabled_when_token_empty(start_sms, token):
    s = await start_sms(auth_token=token or "", sender_secret="")
    status, _, _ = await s.client.post("hei")
    assert status == 404
    assert s.agent.received == []


def test_enabled_without_secret_refuses_to_start(monkeypatch):
    monkeypatch.setenv("SMS_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("SMS_SENDER_SECRET", "")
    with pytest.raises(ValueError, match="SMS_SENDER_SECRET"):
        SmsInput.from_credentials(None)


def test_from_credentials_reads_env(monkeypatch):
    monkeypatch.setenv("SMS_AUTH_TOKEN", "")
    assert SmsInput.from_credentials(None).enabled is False
    assert SmsInput.from_credentials({"auth_token": ""}).enabled is False
    monkeypatch.setenv("SMS_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("SMS_SENDER_SECRET", SECRET)
    monkeypatch.setenv("SMS_PUBLIC_URL", "https://x.no/webhooks/sms/webhook")
    monkeypatch.setenv("SMS_RATE_LIMIT_PER_MIN", "4")
    ch = SmsInput.from_credentials(None)
    assert ch.enabled and ch.public_url == "https://x.no/webhooks/sms/webhook"
    assert ch.dialogue.limiter.limit == 4


def test_number_settings_credentials_win_and_bad_values_fall_back(monkeypatch, caplog):
    from bot import settings

    monkeypatch.setattr(settings, "_warned", set())  # each warning is given once per process
    monkeypatch.setenv("SMS_AUTH_TOKEN", "")
    monkeypatch.setenv("SMS_RATE_LIMIT_PER_MIN", "4")
    monkeypatch.setenv("SMS_STATE_TTL_SECONDS", "60")
    ch = SmsInput.from_credentials(None)
    assert (ch.dialogue.limiter.limit, ch.dialogue.state.ttl) == (4, 60.0)
    # a credentials key wins over the environment (YAML gives numbers; blank is unset)
    ch = SmsInput.from_credentials({"rate_limit_per_min": 7, "state_ttl_seconds": "120"})
    assert (ch.dialogue.limiter.limit, ch.dialogue.state.ttl) == (7, 120.0)
    ch = SmsInput.from_credentials({"rate_limit_per_min": " ", "state_ttl_seconds": None})
    assert (ch.dialogue.limiter.limit, ch.dialogue.state.ttl) == (4, 60.0)
    # bad values: the default with a warning naming the setting, not the value; no crash
    monkeypatch.setenv("SMS_RATE_LIMIT_PER_MIN", "lots")
    monkeypatch.setenv("SMS_STATE_TTL_SECONDS", "-5")
    with caplog.at_level(logging.WARNING, logger="bot.settings"):
        ch = SmsInput.from_credentials(None)
        assert (ch.dialogue.limiter.limit, ch.dialogue.state.ttl) == (10, 1.0)
        ch = SmsInput.from_credentials({"rate_limit_per_min": "2.5"})
        assert ch.dialogue.limiter.limit == 10
    assert "SMS_RATE_LIMIT_PER_MIN is not a whole number; using 10" in caplog.text
    assert "SMS_STATE_TTL_SECONDS is below 1; using 1" in caplog.text
    assert "rate_limit_per_min (credentials.yml) is not a whole number" in caplog.text
    monkeypatch.setenv("SMS_RATE_LIMIT_PER_MIN", "0")  # 0: off, kept as it is
    assert SmsInput.from_credentials(None).dialogue.limiter.limit == 0


async def test_buttons_become_numbered_choices_and_digits_map_back(start_sms):
    menu = [{"text": "Hei! Hva lurer du på?",
             "buttons": [{"title": "Avlastning", "payload": "/avlastning"},
                         {"title": "Penger og permisjon", "payload": "/okonomi"},
                         {"title": "Snakk med et menneske", "payload": "/handover"}]}]
    s = await start_sms(replies={"hei": menu})
    _, body, _ = await s.client.post("hei")
    assert messages(body) == ["Hei! Hva lurer du på?\n1 Avlastning\n2 Penger og permisjon\n"
                              "3 Snakk med et menneske\nSvar 1, 2 eller 3"]
    await s.client.post("3")
    assert s.agent.received[-1].text == "/handover"


async def test_article_reply_uses_the_sms_text(start_sms, repo):
    a = repo.article("avlastning-hva-er")
    reply = [{"text": a.body, "buttons": [],
              "custom": {"topic": a.topic, "article": a.id, "audience": "adult", "sources": []}}]
    s = await start_sms(replies={"avlastning?": reply})
    _, body, _ = await s.client.post("avlastning?")
    assert messages(body) == [sl.prepare(a.sms)]


async def test_long_reply_pages_with_mer(start_sms, repo):
    a = max(repo.all_articles(), key=lambda x: len(x.body))
    reply = [{"text": a.body}]  # no custom: the body itself, as SMS
    s = await start_sms(replies={"lang": reply})
    pages = [messages((await s.client.post("lang"))[1])[0]]
    while pages[-1].endswith(sl.MORE_MARKER):
        pages.append(messages((await s.client.post("MER"))[1])[0])
    assert len(pages) >= 2
    assert all(sl.segment_count(p) <= 3 and sl.is_gsm7(p) for p in pages)
    assert [m.text for m in s.agent.received] == ["lang"]


async def test_hjelp_has_the_handover_number_from_the_knowledge_base(start_sms, repo):
    svc = repo.service("parorendelinjen")
    s = await start_sms()
    _, body, _ = await s.client.post("HJELP")
    (text,) = messages(body)
    assert svc.phone in text and "STOPP" in text
    assert sl.segment_count(text) <= 3


async def test_rate_limit_kind_reply_not_forwarded(start_sms):
    s = await start_sms(rate_limit_per_min=2)
    for i in range(2):
        await s.client.post(f"melding {i}")
    _, body, _ = await s.client.post("melding 3")
    assert messages(body) == [sl.RATE_REPLY]
    _, body, _ = await s.client.post("melding 4")
    assert messages(body) == []
    assert len(s.agent.received) == 2
    # another sender is not limited
    _, body, _ = await s.client.post("hei", phone="+4799999999")
    assert messages(body) == ["Du skrev: hei"]


def _rows(store) -> list:
    sql = store._tracker_store
    db = sql.engine.url.database
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT sender_id, data FROM events").fetchall()


async def test_stopp_deletes_the_tracker(start_sms):
    s = await start_sms()
    other = "+4799999999"
    await s.client.post("hei")
    await s.client.post("hei fra en annen", phone=other)
    me = SenderHasher(SECRET)(PHONE)
    assert await s.store.retrieve(me) is not None
    assert {r[0] for r in _rows(s.store)} == {me, SenderHasher(SECRET)(other)}

    _, body, _ = await s.client.post("  Stopp ")
    assert messages(body) == [sl.STOP_REPLY]
    assert await s.store.retrieve(me) is None
    assert {r[0] for r in _rows(s.store)} == {SenderHasher(SECRET)(other)}
    assert [m.text for m in s.agent.received] == ["hei", "hei fra en annen"]
    # the conversation can start afresh
    await s.client.post("hei igjen")
    tracker = await s.store.retrieve(me)
    assert [e.text for e in tracker.events if e.type_name == "user"] == ["hei igjen"]


async def test_delete_conversation_in_memory_and_fallback_stores():
    from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    mem = InMemoryTrackerStore(Domain.empty())
    t = DialogueStateTracker("x", [])
    t.update(UserUttered("hei"))
    await mem.save(t)
    assert await delete_conversation(mem, "x") == ["memory"]
    assert await mem.retrieve("x") is None

    class OtherStore(TrackerStore):  # a store we know no delete for: gets a fresh tracker
        def __init__(self):
            super().__init__(Domain.empty())
            self.saved = {}

        async def save(self, tracker):
            self.saved[tracker.sender_id] = tracker

        async def retrieve(self, sender_id):
            return self.saved.get(sender_id)

        async def keys(self):
            return self.saved.keys()

    other = OtherStore()
    await other.save(t)
    assert await delete_conversation(other, "x") == ["replaced:OtherStore"]
    assert list((await other.retrieve("x")).events) == []


async def test_no_phone_number_in_stored_events_or_logs(start_sms, caplog):
    caplog.set_level(logging.DEBUG)
    s = await start_sms(replies={"hei": [{"text": "Hei!", "buttons": [
        {"title": "Avlastning", "payload": "/avlastning"}]}]})
    for text in ("hei", "1", "MER", "HJELP", "x" * 3):
        await s.client.post(text)
    await s.client.post("hei", signature="forged-signature")  # refused requests are logged too
    rows = _rows(s.store)
    assert rows
    for sender_id, data in rows:
        for needle in (PHONE, DIGITS, DIGITS[2:]):
            assert needle not in sender_id and needle not in data
    log_text = "\n".join(r.getMessage() for r in caplog.records)
    for needle in (PHONE, DIGITS, DIGITS[2:], "+47"):
        assert needle not in log_text
    # the channel logged something (so the check above is not vacuous)
    assert any(r.name.startswith("bot.channels") for r in caplog.records)
    for msg in s.agent.received:
        assert DIGITS[2:] not in repr(msg.metadata) and DIGITS[2:] not in msg.sender_id


def test_twiml_escapes_and_handles_empty():
    assert twiml("") == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    assert "<Message>a &lt;b&gt; &amp; c</Message>" in twiml("a <b> & c")


async def test_a_replayed_message_sid_is_answered_once(start_sms):
    s = await start_sms()
    extra = {"MessageSid": "SM" + "a" * 32}
    status, body, _ = await s.client.post("hei", extra=extra)
    assert status == 200 and messages(body) == ["Du skrev: hei"]
    status, body, _ = await s.client.post("hei", extra=extra)  # the same signed request
    assert status == 200 and messages(body) == []
    assert len(s.agent.received) == 1


@pytest.mark.parametrize("sid", ["", "SM 1", "x" * 65, "SM<1>"])
async def test_a_request_without_a_valid_message_sid_is_refused(start_sms, sid):
    s = await start_sms()
    status, _, _ = await s.client.post("hei", extra={"MessageSid": sid})
    assert status == 400
    assert s.agent.received == []


async def test_stopp_while_the_tracker_db_fails_answers_honestly(start_sms):
    s = await start_sms()
    await s.client.post("hei")
    with sqlite3.connect(s.store._tracker_store.engine.url.database) as conn:
        conn.execute("DROP TABLE events")  # the store now fails on every query
    status, body, _ = await s.client.post("STOPP")
    assert status == 200 and messages(body) == [sl.STOP_FAILED_REPLY]


async def test_oversized_and_field_flooded_requests_are_refused(start_sms, monkeypatch):
    s = await start_sms()
    status, _, _ = await s.client.post("x" * 20_000)
    assert status == 413
    status, _, _ = await s.client.post("hei", extra={f"f{i}": "1" for i in range(200)})
    assert status == 400
    assert s.agent.received == []
