"""End to end: the SMS channel in the real Rasa server (loaded from bot/credentials.yml) with
the real action server, over signed Twilio-style requests (the shared `bot` fixture, whose
environment turns the channel on: tests/servers.py)."""

from __future__ import annotations

import re
import sqlite3
import uuid
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
import requests
import yaml
from twilio.request_validator import RequestValidator

from bot.channels import sms_logic as sl
from tests.servers import ROOT, SMS_AUTH_TOKEN, SMS_SENDER_SECRET

pytestmark = pytest.mark.e2e

TOKEN = SMS_AUTH_TOKEN
PHONE = "+4791234567"
DIGITS = re.sub(r"\D", "", PHONE)


@pytest.fixture(scope="module")
def sms_bot(bot):
    creds = yaml.safe_load((ROOT / "bot" / "credentials.yml").read_text()) or {}
    assert "bot.channels.sms.SmsInput" in creds, (
        "bot/credentials.yml has no `bot.channels.sms.SmsInput:` block (see bot/channels/sms.py)"
    )
    return bot


def post(bot, body: str, phone: str = PHONE, sign: bool = True, sid: str = ""):
    url = f"{bot.bot_url}/webhooks/sms/webhook"
    params = {"From": phone, "Body": body, "MessageSid": sid or "SM" + uuid.uuid4().hex,
              "To": "+4759000000"}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if sign:
        headers["X-Twilio-Signature"] = RequestValidator(TOKEN).compute_signature(url, params)
    return requests.post(url, data=urlencode(params), headers=headers, timeout=60)


def reply_text(r) -> str:
    assert r.status_code == 200, r.text
    msgs = ElementTree.fromstring(r.text).findall("Message")
    assert len(msgs) == 1, r.text
    text = msgs[0].text or ""
    assert sl.is_gsm7(text) and sl.segment_count(text) <= sl.MAX_SEGMENTS, text
    return text


def rows(bot) -> list:
    with sqlite3.connect(bot.workdir / "tracker.db") as conn:
        return conn.execute("SELECT sender_id, data FROM events").fetchall()


def test_unsigned_request_is_refused(sms_bot):
    r = post(sms_bot, "hei", sign=False)
    assert r.status_code == 403


def test_sms_conversation_choices_help_and_stopp(sms_bot, repo):
    # an article answer: the article's sms text, related articles as numbered choices
    text = reply_text(post(sms_bot, "Finnes det avlastning når mamma har demens?"))
    sms_texts = {a.id: sl.prepare(a.sms) for a in repo.all_articles()}
    # (the situation sentence of a story may come first)
    first = next((aid for aid, t in sms_texts.items() if t[:80] in text), None)
    assert first is not None and repo.article(first).topic == "avlastning", text
    assert re.search(r"^1 .+", text, re.M) and re.search(r"^Svar 1", text, re.M), text

    # "1" maps back to the first choice's payload: another article's sms text
    title1 = re.search(r"^1 (.+)$", text, re.M).group(1)
    text2 = reply_text(post(sms_bot, "1"))
    second = next((aid for aid, t in sms_texts.items() if text2.startswith(t)), None)
    assert second is not None and sl.prepare(repo.article(second).title) == title1, text2

    # HJELP: help text with the hand-over number from the knowledge base
    svc = repo.service("parorendelinjen")
    assert svc.phone in reply_text(post(sms_bot, "HJELP"))

    # the tracker holds the keyed hash only, never the number (other SMS tests, e.g. the
    # fuzz run, may have their own conversations in the shared bot's tracker)
    stored = rows(sms_bot)
    mine = {s for s, _ in stored if s == sl.SenderHasher(SMS_SENDER_SECRET)(PHONE)}
    assert len(mine) == 1
    for sender_id, data in stored:
        assert DIGITS[2:] not in sender_id and DIGITS[2:] not in data

    # STOPP deletes the conversation
    assert reply_text(post(sms_bot, "stopp")) == sl.STOP_REPLY
    assert not [s for s, _ in rows(sms_bot) if s in mine]


def test_logs_hold_no_phone_number(sms_bot):
    reply_text(post(sms_bot, "hei", phone="+4798765432"))
    for log in sms_bot.logs.values():
        content = log.read_text(errors="replace")
        for needle in (DIGITS[2:], "98765432"):
            assert needle not in content, log


def test_a_story_by_sms_gets_the_situation_sentence_and_the_sms_text(sms_bot, repo):
    story = ("Faren min drikker hver dag og blir sint. Jeg er voksen, men er redd for mamma. "
             "Hva kan jeg gjøre?")
    text = reply_text(post(sms_bot, story, phone="+4791234599"))
    assert text.startswith("Takk for at du forteller"), text
    sms_texts = [sl.prepare(a.sms) for a in repo.all_articles()]
    assert any(t[:60] in text for t in sms_texts), text


def test_a_story_no_article_answers_gets_the_note_and_the_situations_sms_text(sms_bot, repo):
    # no text answers how to handle the quarrels; the text for relatives of someone with a
    # mental illness is what the bot has, and it says so
    story = ("Kona mi har angst og vi krangler mye. Hun blir sur for småting, og jeg vet ikke "
             "hvordan jeg skal takle det. Jeg vil så gjerne at vi skal ha det bra sammen. Hva "
             "skal jeg gjøre?")
    text = reply_text(post(sms_bot, story, phone="+4791234577"))
    assert text.startswith("Takk for at du forteller"), text
    assert "ikke en artikkel som svarer på akkurat det du spør om" in text, text
    sms_texts = [sl.prepare(a.sms) for a in repo.all_articles()]
    assert any(t[:60] in text for t in sms_texts), text
    assert sl.segment_count(text) <= 3 and sl.is_gsm7(text)


def test_a_replayed_request_is_answered_once_and_never_reaches_the_bot(sms_bot):
    sid = "SM" + uuid.uuid4().hex
    first = reply_text(post(sms_bot, "Hva er avlastning?", phone="+4791234588", sid=sid))
    assert first
    before = len(rows(sms_bot))
    again = post(sms_bot, "Hva er avlastning?", phone="+4791234588", sid=sid)
    assert again.status_code == 200
    assert ElementTree.fromstring(again.text).findall("Message") == []
    assert len(rows(sms_bot)) == before  # no turn was stored


def test_a_request_without_message_sid_is_refused(sms_bot):
    url = f"{sms_bot.bot_url}/webhooks/sms/webhook"
    params = {"From": PHONE, "Body": "hei", "To": "+4759000000"}
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, params)}
    r = requests.post(url, data=urlencode(params), headers=headers, timeout=60)
    assert r.status_code == 400
