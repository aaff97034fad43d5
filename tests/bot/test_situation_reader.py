"""The SituationReader NLU component: the situation in the parse data; young mode and age as
entities."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.situation_reader import SituationReader


def processed(text: str, metadata=None, intent: str = "egen_helse") -> Message:
    message = Message(data={"text": text, "metadata": metadata or {}})
    message.set("intent", {"name": intent, "confidence": 0.9})
    [message] = SituationReader().process([message])
    return message


def entities(message: Message) -> dict:
    return {e["entity"]: e["value"] for e in message.get("entities") or []}


def test_young_page_metadata_sets_young_mode():
    assert entities(processed("hei", {"mode": "ung"}))["young_mode"] is True


def test_a_stated_age_under_18_sets_young_mode_and_age():
    ents = entities(processed("eg er 12 år gammal", intent="tell_age"))
    assert ents["young_mode"] is True and ents["age"] == 12


def test_an_adult_age_leaves_young_mode():
    assert entities(processed("jeg er 45", intent="tell_age"))["young_mode"] is False


def test_a_question_says_nothing_about_the_mode():
    assert "young_mode" not in entities(processed("Hva er omsorgsstønad?"))


def test_the_metadata_wins_over_a_stated_age():
    # the young page keeps young mode even if a child mentions a parent's age
    assert entities(processed("jeg er 40", {"mode": "ung"}))["young_mode"] is True


def test_situation_and_condition_of_a_story():
    message = processed("Pappa drikker hver helg og blir sint. Jeg vet ikke hva jeg skal gjøre.")
    situation = message.get("situation")
    assert situation["relation"] == "far" and situation["conditions"] == ["rus"]
    assert situation["asks"] == 1
    assert entities(message)["condition"] == "rus"


def test_button_payloads_are_left_alone():
    message = processed('/barn_unge{"article": "sosken"}')
    assert message.get("situation") is None

