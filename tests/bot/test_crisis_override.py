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
    assert message.get("crisis") == {"level": "concern", "danger": "other", "category": "suicide"}
    ents = {e["entity"]: e["value"] for e in message.get("entities")}
    assert ents == {"risk": "concern", "danger": "other"}


def test_crisis_text_overrides_the_fallback():
    component = CrisisOverride(CrisisOverride.get_default_config())
    [message] = component.process([classified("kutter meg igjen", "nlu_fallback", 0.45)])
    assert message.get("intent")["name"] == "krise"


def test_ordinary_text_is_left_alone():
    component = CrisisOverride(CrisisOverride.get_default_config())
    [message] = component.process([classified("Hva er avlastning?", "avlastning", 0.9)])
    assert message.get("intent") == {"name": "avlastning", "confidence": 0.9}
    assert message.get("crisis") is None
    # the slots always describe the current message
    ents = {e["entity"]: e["value"] for e in message.get("entities")}
    assert ents == {"risk": "none", "danger": "none"}


def test_a_plan_is_acute_and_the_young_mode_picks_the_childrens_danger():
    component = CrisisOverride(CrisisOverride.get_default_config())
    message = classified("pappa slår meg nå", "barn_unge", 0.8)
    message.set("metadata", {"mode": "ung"})
    [message] = component.process([message])
    assert message.get("crisis")["level"] == "acute"
    assert message.get("crisis")["danger"] == "violence_child"


def test_the_classifier_alone_counts_as_a_concern_of_unknown_kind():
    component = CrisisOverride(CrisisOverride.get_default_config())
    [message] = component.process([classified("alt er så mørkt", "krise", 0.7)])
    assert message.get("crisis") == {"level": "concern", "danger": "unknown",
                                     "category": "classifier"}


def _dementia_message() -> str:
    """The security review's demonstration (M7): the conjunction dementia + missing + cold
    spans 5,000 characters, so no window of the cut text shows it."""
    filler = "Vi har hatt en lang dag med mange avtaler og mye styr her hjemme. " * 40
    return ("Mamma har demens. " + filler + " Nå er hun forsvunnet. " + filler
            + " Det er minus femten grader ute og mørkt.")


def test_a_crisis_of_the_whole_long_message_survives_the_cut():
    from bot.channels.text import CRISIS_KEY, clean_user_text
    from bot.safety.crisis import detect_crisis

    whole = _dementia_message()
    clean = clean_user_text(whole)
    assert clean.truncated and detect_crisis(clean.text) is None  # the cut text alone: no crisis
    assert clean.metadata()[CRISIS_KEY]["level"] == "acute"
    message = classified(clean.text, "demens", 0.9)
    message.set("metadata", clean.metadata())
    component = CrisisOverride(CrisisOverride.get_default_config())
    [message] = component.process([message])
    assert message.get("intent") == {"name": "krise", "confidence": 1.0}
    assert message.get("crisis") == {"level": "acute", "danger": "medical", "category": "acute"}


def test_the_carried_grading_adapts_to_the_young_mode_and_ignores_junk():
    from bot.channels.text import CRISIS_KEY

    component = CrisisOverride(CrisisOverride.get_default_config())
    carried = {"level": "acute", "danger": "violence_adult", "category": "violence"}
    message = classified("Hva er avlastning?", "avlastning", 0.9)
    message.set("metadata", {"mode": "ung", CRISIS_KEY: carried})
    [message] = component.process([message])
    assert message.get("crisis")["danger"] == "violence_child"
    for junk in ("acute", {"level": "panic", "danger": "self"}, {"level": "acute"}, None):
        message = classified("Hva er avlastning?", "avlastning", 0.9)
        message.set("metadata", {CRISIS_KEY: junk})
        [message] = component.process([message])
        assert message.get("crisis") is None


def test_an_acute_whole_outranks_a_milder_cut_text():
    from bot.channels.text import CRISIS_KEY

    component = CrisisOverride(CrisisOverride.get_default_config())
    message = classified("broren min snakker om selvmord", "sorg", 0.9)
    message.set("metadata", {CRISIS_KEY: {"level": "acute", "danger": "other",
                                          "category": "suicide"}})
    [message] = component.process([message])
    assert message.get("crisis")["level"] == "acute"


def test_the_learned_layer_alone_raises_no_concern_in_a_story_of_a_death():
    from bot.nlu.crisis_classifier import SCORE_KEY
    from bot.nlu.situation_reader import SITUATION_KEY

    component = CrisisOverride(CrisisOverride.get_default_config())
    grief = "Mamma døde i går på sykehjemmet. Vi satt hos henne hele natta."
    message = classified(grief, "sorg", 0.8)
    message.set(SCORE_KEY, {"score": 0.96, "threshold": 0.93})
    message.set(SITUATION_KEY, {"bereaved": True})
    [message] = component.process([message])
    assert message.get("crisis") is None and message.get("intent")["name"] == "sorg"
    # the same score without a death told is a concern, and danger words in grief still count
    alive = classified("Mamma ligger på sykehjemmet. Vi satt hos henne hele natta.", "sorg", 0.8)
    alive.set(SCORE_KEY, {"score": 0.96, "threshold": 0.93})
    [alive] = component.process([alive])
    assert alive.get("crisis")["category"] == "classifier"
    words = classified("Mamma døde i går, og nå vil jeg ikke leve lenger.", "sorg", 0.8)
    words.set(SITUATION_KEY, {"bereaved": True})
    [words] = component.process([words])
    assert words.get("crisis")["danger"] == "self"


def test_the_learned_layer_alone_raises_no_concern_in_a_story_of_recovery():
    # a sister whose brother is drug-free again: a word model reads her old fear as danger
    from bot.nlu.crisis_classifier import SCORE_KEY

    component = CrisisOverride(CrisisOverride.get_default_config())
    well = classified("Broren min er rusfri i to år nå, og jeg er så glad. Jeg har brukt nok "
                      "tid på redsel.", "egen_helse", 0.8)
    well.set(SCORE_KEY, {"score": 0.96, "threshold": 0.93})
    [well] = component.process([well])
    assert well.get("crisis") is None
    # the same score without the recovery is a concern
    ill = classified("Broren min ruser seg igjen, og jeg har brukt nok tid på redsel.",
                     "egen_helse", 0.8)
    ill.set(SCORE_KEY, {"score": 0.96, "threshold": 0.93})
    [ill] = component.process([ill])
    assert ill.get("crisis")["category"] == "classifier"
