"""End to end over real servers: the action server and the Rasa server as subprocesses,
chatting over the REST channel, then shut down cleanly."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e

# One message per topic of the bot contract, as a relative might write it.
TOPIC_MESSAGES = {
    "parorende_rolle": "Hvem er egentlig nærmeste pårørende til mamma?",
    "informasjon": "Har jeg rett til informasjon om behandlingen til min mann?",
    "taushetsplikt": "Sykepleieren sier hun har taushetsplikt. Hva kan hun si til meg?",
    "avlastning": "Mamma har demens og jeg er så sliten. Finnes det avlastning?",
    "okonomi": "Hva er omsorgsstønad?",
    "koordinering": "Hvordan får vi individuell plan og en koordinator?",
    "barn_unge": "Hvordan forteller jeg barna at pappa er alvorlig syk?",
    "egen_helse": "Jeg er helt utslitt av å passe på far hele tiden",
    "sorg": "Kona mi døde i sommer og jeg sørger veldig",
    "klage": "Hvordan klager jeg på et vedtak fra kommunen?",
    "organisasjoner": "Finnes det noen organisasjon for pårørende ved kreft?",
    "tolk_sprak": "Kan barnet mitt være tolk hos legen?",
    "handover": "Kan jeg få snakke med et menneske?",
    "krise": "Jeg vil ikke leve mer",
    "smalltalk": "Er du en robot?",
    "out_of_scope": "Hvordan blir været i morgen?",
}


def customs(replies: list) -> list:
    return [r["custom"] for r in replies if "custom" in r]


def texts(replies: list) -> str:
    return " ".join(r.get("text", "") for r in replies)


@pytest.mark.parametrize("topic", sorted(TOPIC_MESSAGES))
def test_every_topic_is_answered_with_a_custom_block(bot, topic):
    replies = bot.rest(TOPIC_MESSAGES[topic], sender=f"e2e-{topic}-{uuid.uuid4().hex[:6]}")
    blocks = customs(replies)
    assert blocks, f"no custom block for {topic}: {replies}"
    block = blocks[0]
    assert block["topic"] == topic, (TOPIC_MESSAGES[topic], replies)
    assert block["audience"] == "adult"
    assert {"topic", "article", "audience", "sources"} <= set(block)
    assert texts(replies).strip()
    if topic not in ("smalltalk",):
        assert block["sources"], f"{topic}: no sources"


def test_crisis_reply_starts_with_emergency_numbers(bot):
    replies = bot.rest("broren min snakker om å ta livet sitt", sender="e2e-crisis")
    first = replies[0]["text"]
    assert first.startswith("Ring 113"), first
    assert "?" not in first.split("113")[0]


def test_crisis_mid_conversation_in_young_mode(bot):
    sender = "e2e-young-crisis"
    replies = bot.rest("hei", sender=sender, metadata={"mode": "ung"})
    assert customs(replies)[0]["audience"] == "young"
    replies = bot.rest("eg vil ikkje leve meir", sender=sender, metadata={"mode": "ung"})
    assert replies[0]["text"].startswith("Ring 113")
    assert "116 111" in texts(replies)
    assert customs(replies)[0]["audience"] == "young"


def test_young_mode_from_stated_age(bot):
    sender = "e2e-age"
    bot.rest("jeg er 14 år", sender=sender)
    replies = bot.rest("Hvem kan jeg snakke med om at mamma er syk?", sender=sender)
    assert customs(replies)[0]["audience"] == "young"


def test_follow_up_stays_in_topic(bot):
    sender = "e2e-followup"
    first = customs(bot.rest("Kan jeg få pleiepenger når barnet mitt er alvorlig sykt?",
                             sender=sender))[0]
    assert first["topic"] == "okonomi"
    follow = customs(bot.rest("hvor mange dager?", sender=sender))[0]
    assert follow["topic"] == "okonomi"


def test_handover_block(bot):
    replies = bot.rest("jeg vil snakke med et menneske", sender="e2e-handover")
    block = customs(replies)[0]
    assert set(block["handover"]) >= {"service", "phone", "url", "open_now", "opens"}
    assert block["handover"]["phone"]


def test_personal_identifiers_are_not_stored_or_logged(bot):
    """A message with a fødselsnummer, phone and e-mail: answered, but none of them persisted."""
    import sqlite3

    secret_bits = ["01017012345", "98765432", "kari.nordmann@example.no"]
    message = ("Kan mamma få avlastning? Hun har fnr 010170 12345. Ring meg på 987 65 432 "
               "eller skriv til kari.nordmann@example.no")
    replies = bot.rest(message, sender="e2e-pii")
    assert customs(replies), replies
    db = bot.logs["rasa"].parent / "tracker.db"
    with sqlite3.connect(db) as conn:
        stored = " ".join(row[0] or "" for row in conn.execute("SELECT data FROM events"))
    assert "kan mamma f" in stored.lower()  # the question itself is kept (JSON-escaped)
    logs = bot.logs["rasa"].read_text() + bot.logs["actions"].read_text()
    for bit in secret_bits + ["010170 12345", "987 65 432"]:
        assert bit not in stored, bit
        assert bit not in logs, bit


# -- bounded inputs and rate limits over the real server (bot/channels/limits.py) -------------

def test_a_long_conversation_still_gets_real_answers(bot):
    """The action server receives the whole tracker with every call, far more than the 64 KiB
    a user's request may have: a long conversation must not turn into safe replies (found by
    the 10,000-case socket.io fuzz after the public body limit was lowered)."""
    sender = f"e2e-long-{uuid.uuid4().hex[:8]}"
    story = ("Mamma har demens og bor hjemme, og jeg hjelper henne hver dag med mat, medisiner "
             "og alt det praktiske, samtidig som jeg har full jobb og to barn. ") * 12
    for i in range(16):  # about 40 KB of user text in one session, plus the parse data
        bot.rest(f"{story} Dag {i}.", sender)
    replies = bot.rest("Hva er avlastning?", sender)
    assert not any(c.get("degraded") for c in customs(replies)), replies
    assert any(c.get("topic") == "avlastning" for c in customs(replies)), replies


def post_raw(bot, body: bytes, headers=None):
    import requests

    return requests.post(f"{bot.bot_url}/webhooks/rest/webhook", data=body,
                         headers={"Content-Type": "application/json", **(headers or {})},
                         timeout=60)


def test_a_body_over_16_kib_gets_413_in_norwegian(bot):
    import json

    r = post_raw(bot, json.dumps({"sender": "e2e-big", "message": "a" * 20_000}).encode())
    assert r.status_code == 413
    assert "for lang" in r.json()["error"] and "113" in r.json()["error"]


@pytest.mark.parametrize("body", [b"[" * 15_000, b'{"sender": ' + b"[" * 10_000 + b"}",
                                  b'{"a":' * 2000 + b"1" + b"}" * 2000],
                         ids=["list", "in-sender", "objects"])
def test_deeply_nested_json_gets_400_not_500(bot, body):
    r = post_raw(bot, body)
    assert r.status_code == 400, r.text[:200]
    assert "JSON" in r.json()["error"]


def test_the_reviews_nested_json_gets_a_4xx(bot):
    """L4: `[` x 100,000 gave a 500; it is now over the size limit (413) before parsing."""
    r = post_raw(bot, b"[" * 100_000)
    assert r.status_code == 413


@pytest.mark.parametrize("sender", ["x" * 65, "x" * 10_000, "a b", "<script>", "e2e/../x", ""],
                         ids=["65", "10k", "space", "markup", "path", "empty"])
def test_bad_sender_ids_get_400(bot, sender):
    import json

    r = post_raw(bot, json.dumps({"sender": sender, "message": "hei"}).encode())
    assert r.status_code == 400
    assert "64 tegn" in r.json()["error"]


def test_oversized_headers_are_refused_with_a_4xx(bot):
    r = post_raw(bot, b'{"sender": "e2e-hdr", "message": "hei"}',
                 headers={"X-Padding": "x" * 20_000})
    assert 400 <= r.status_code < 500


def test_client_metadata_beyond_the_allow_list_is_not_stored(bot):
    import sqlite3

    marker = f"meta-{uuid.uuid4().hex[:8]}"
    replies = bot.rest("Hva er avlastning?", sender=f"e2e-meta-{uuid.uuid4().hex[:6]}",
                       metadata={"mode": "voksen", "crisis": True, marker: marker})
    assert customs(replies)
    with sqlite3.connect(bot.workdir / "tracker.db") as conn:
        stored = " ".join(row[0] or "" for row in conn.execute("SELECT data FROM events"))
    assert marker not in stored


@pytest.fixture(scope="module")
def limited_bot(tmp_path_factory, kb_url):
    """A second real bot with a low per-address limit and its own key prefix (the shared bot's
    default, 300 a minute, is above what the other tests send from 127.0.0.1)."""
    from tests.servers import MODEL, running_bot

    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: `make setup` trains it")
    workdir = tmp_path_factory.mktemp("limited")
    env = {"RATE_LIMIT_PER_IP_PER_MIN": "8", "REST_RATE_LIMIT_PER_MIN": "30",
           "RATE_LIMIT_PREFIX": f"e2e-limited-{uuid.uuid4().hex[:8]}"}
    with running_bot(workdir, kb_url, extra_env=env) as servers:
        yield servers


def test_a_fresh_sender_each_time_is_still_limited_per_address(limited_bot):
    statuses = []
    for i in range(10):
        r = post_raw(limited_bot, (b'{"sender": "e2e-ip-%d-' % i) + uuid.uuid4().hex.encode()
                     + b'", "message": "/help"}',
                     headers={"X-Forwarded-For": f"198.51.100.{i}"})  # not trusted: ignored
        statuses.append(r.status_code)
    assert statuses == [200] * 8 + [429] * 2
    assert "113" in r.json()[0]["text"]
