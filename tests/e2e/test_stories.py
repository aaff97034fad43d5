"""Stories, graded crisis replies and a hung action server, over the real servers (REST).

A story gets one sentence that shows the situation was understood, the article for its ask,
services that fit, and `custom.situation`; danger gets the graded crisis reply (numbers for
who is at risk) and then the answer; with the action server hung, the crisis reply still
comes within 2 s and any other message gets the safe reply within 5 s."""

from __future__ import annotations

import signal
import time
import uuid

import pytest

pytestmark = pytest.mark.e2e


def customs(replies: list) -> list:
    return [r["custom"] for r in replies if "custom" in r]


def text_of(replies: list) -> str:
    return " ".join(r.get("text", "") for r in replies)


def sender(name: str) -> str:
    return f"story-{name}-{uuid.uuid4().hex[:6]}"


STORY = (
    "Hei. Sønnen min er 26 og har brukt hasj og piller i mange år. Han bor hjemme igjen og "
    "sover hele dagen, og jeg får ikke sove om natta. Jeg er helt utslitt. Hva kan vi som "
    "foreldre gjøre når han er voksen?"
)


def test_a_story_gets_the_situation_the_answer_and_the_services(bot):
    replies = bot.rest(STORY, sender=sender("rus"))
    assert replies[0]["text"].startswith("Takk for at du forteller"), replies
    assert "voksne barn" in replies[0]["text"] and "rus" in replies[0]["text"]
    block = next(c for c in customs(replies) if c.get("article"))
    assert block["situation"]["relation"] == "voksent_barn"
    assert block["situation"]["conditions"][0] == "rus"
    assert block["topic"] != "okonomi"  # not a benefits article for a word in the story
    # Pårørendetelefonen, in the article or among the services (never named twice)
    assert "800 40 567" in text_of(replies)
    assert text_of(replies).count("800 40 567") == 1
    assert block.get("services"), block
    assert len([b for r in replies for b in r.get("buttons", [])]) <= 3


def test_a_concern_gets_the_safety_lines_first_and_then_the_answer(bot):
    text = ("Jeg er redd for at pappa skal ta livet sitt, han har sagt det flere ganger. "
            "Hvordan kan jeg snakke med ham om det?")
    replies = bot.rest(text, sender=sender("concern"))
    assert replies[0]["text"].startswith("Ring 113"), replies
    blocks = customs(replies)
    crisis = blocks[0]
    assert crisis["crisis"] is True and crisis["risk"] == "concern"
    assert crisis["danger"] == "other"
    answers = [c for c in blocks[1:] if c.get("article") and c.get("article") != "nodnummer"]
    assert answers and answers[0]["crisis"] is True, replies
    assert answers[0]["article"] == "bekymret-for-selvmord", answers[0]


def test_own_self_harm_is_answered_about_the_writer_not_the_parents_the_story_names(bot):
    text = ("Jeg er 15. De siste to årene har jeg slitt med selvskading, og i går kuttet jeg meg "
            "igjen. Foreldrene mine vet det ikke, og jeg tør ikke si det til dem. "
            "Hvordan kan jeg få hjelp?")
    replies = bot.rest(text, sender=sender("self-harm"))
    assert replies[0]["text"].startswith("Ring 113") and "116 123" in replies[0]["text"]
    assert customs(replies)[0]["danger"] == "self"
    opener = next(r["text"] for r in replies if r.get("text", "").startswith("Takk for at du"))
    assert "mamma" not in opener and "foreldre" not in opener, opener
    assert "hvordan du har det" in opener, opener
    # the answer is the text for the writer's own pain, not the worry for someone else's life
    articles = [c.get("article") for c in customs(replies) if c.get("article")]
    assert "nar-du-selv-har-det-vondt" in articles and "bekymret-for-selvmord" not in articles


def test_being_hit_at_home_with_no_age_given_is_answered_as_a_child_at_risk(bot):
    # a girl of 16 on a public Q&A page (tests/real r253) who gave no age in her text, on the
    # adult page: the children's numbers and the young texts, not the adult line (18+)
    text = "Hva gjør jeg når jeg blir slått hjemme?\n\nhei jeg blir slått hjemme"
    replies = bot.rest(text, sender=sender("hit-at-home"))
    first = replies[0]["text"]
    assert first.startswith("Ring 112") and "116 111" in first, first
    assert "116 006" not in first, first
    block = customs(replies)[0]
    assert (block["audience"], block["danger"]) == ("young", "violence_child"), block
    answers = [c for c in customs(replies)[1:] if c.get("article")]
    assert answers and all(c["audience"] == "young" for c in answers), answers


def test_a_child_exposed_to_violence_gets_the_childrens_numbers(bot):
    replies = bot.rest("pappa slår meg nå", sender=sender("young"), metadata={"mode": "ung"})
    first = replies[0]["text"]
    assert first.startswith("Ring 112") and "116 111" in first, first
    block = customs(replies)[0]
    assert (block["audience"], block["risk"], block["danger"]) == ("young", "acute",
                                                                    "violence_child")


def test_violence_between_adults_gets_112_and_the_violence_line(bot):
    replies = bot.rest("samboeren min truer med å drepe meg", sender=sender("adult-violence"))
    first = replies[0]["text"]
    assert first.startswith("Ring 112") and "116 006" in first, first
    assert customs(replies)[0]["risk"] == "acute"


def test_a_plan_is_acute_and_own_thoughts_get_116_123(bot):
    replies = bot.rest("har kjøpt tau og vet hvor jeg skal gjøre det", sender=sender("plan"))
    assert replies[0]["text"].startswith("Ring 113") and "116 123" in replies[0]["text"]
    assert customs(replies)[0]["risk"] == "acute"


def test_an_ordinary_question_is_not_flagged(bot):
    replies = bot.rest("Hva er omsorgsstønad?", sender=sender("plain"))
    assert not any(c.get("crisis") for c in customs(replies))


def test_a_hung_action_server_still_gets_crisis_replies_fast_and_safe_replies(bot):
    proc = bot.procs["actions"]
    proc.send_signal(signal.SIGSTOP)
    try:
        start = time.monotonic()
        crisis = bot.rest("jeg vil ikke leve lenger", sender=sender("hung-crisis"))
        crisis_s = time.monotonic() - start
        start = time.monotonic()
        plain = bot.rest("Hva er avlastning?", sender=sender("hung-plain"))
        plain_s = time.monotonic() - start
    finally:
        proc.send_signal(signal.SIGCONT)
    assert crisis[0]["text"].startswith("Ring 113")
    assert crisis_s < 2.0, crisis_s
    assert "113" in text_of(plain) and customs(plain)[0].get("degraded") is True
    assert plain_s < 5.0, plain_s
