"""The CrisisOverride NLU component forces `krise` on a lexicon match, whatever came before."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.crisis_override import CrisisOverride


def classified(text: str, intent: str, confidence: float) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence},
                                   {"name": "krise", "confidence": 0.01}])
    return message


def test_crisis_text_overrides_a_confident_wrong_intent():
    component = CrisisOverride(CrisisOverride.get_default_config())
    [message] = component.process([classified("broren min snakker om selvmord", "sorg", 0.97)])
    assert message.get("intent") == {"name": "krise", "confidence": 1.0}
    ranking = message.get("intent_ranking")
    assert ranking[0]["name"] == "krise" and [r["name"] for r in ranking].count("krise") == 1
    assert message.get("crisis") == {"category": "suicide"}


def test_crisis_text_overrides_the_fallback():
    component = CrisisOverride(CrisisOverride.get_default_config())
    [message] = component.process([classified("kutter meg igjen", "nlu_fallback", 0.45)])
    assert message.get("intent")["name"] == "krise"


def test_ordinary_text_is_left_alone():
    component = CrisisOverride(CrisisOverride.get_default_config())
    [message] = component.process([classified("Hva er avlastning?", "avlastning", 0.9)])
    assert message.get("intent") == {"name": "avlastning", "confidence": 0.9}
    assert message.get("crisis") is None
