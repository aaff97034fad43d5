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
