"""Answers from the knowledge base, the help menu, and clarification when unsure."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import organisations, retrieval
from actions import story as story_copy
from actions.common import (
    TOPIC_INTENTS,
    article_button,
    audience,
    custom_block,
    intent_ranking,
    latest_intent,
    latest_text,
    message_entities,
    repository,
    with_context_entities,
)
from bot.understanding.situation import read as read_situation
from knowledge.text import detect_aspect  # noqa: F401 - re-exported for tests

MENU_FILE = Path(__file__).with_name("menu.yml")

HANDOVER_BUTTON = {
    "adult": {"title": "Snakk med et menneske", "payload": "/handover"},
    "young": {"title": "Snakk med en voksen", "payload": "/handover"},
}


# Strong strain without crisis content ("orker ikke mer"): offer a human, don't force one.
STRAIN = re.compile(
    r"\b(orker|orkar|klarer|greier) (ikke|ikkje|ikkj|itj) (mer|meir|lenger|dette|alt)|"
    r"\b(helt|heilt|totalt) (utslitt|utbrent|tom|knust|på felgen)|\bgått på veggen|"
    r"\b(utbrent|utslitt|gråter hele tiden|græt heile tida)",
    re.IGNORECASE,
)
# A message written in English gets a short note in English (the content is Norwegian).
ENGLISH_WORDS = frozenset(
    "the is are my i you what how can could help with for about to and do does this that "
    "mother father mom dad sick please need want".split()
)
NORWEGIAN_WORDS = frozenset(
    "jeg eg er og det på hva kva hvordan korleis kan med til om ikke ikkje min mi mitt "
    "har som en ei et å hjelp".split()
)


def looks_english(text: str) -> bool:
    words = re.findall(r"[a-zæøå]+", (text or "").lower())
    if len(words) < 3:
        return False
    english = sum(w in ENGLISH_WORDS for w in words)
    norwegian = sum(w in NORWEGIAN_WORDS for w in words)
    return english >= 2 and english > 2 * norwegian


def load_menu() -> Dict[str, Any]:
    return yaml.safe_load(MENU_FILE.read_text(encoding="utf-8"))


def menu_buttons(aud: str) -> List[Dict[str, str]]:
    menu = load_menu()
    return [{"title": b["title"], "payload": b["payload"]} for b in menu["buttons"][aud]]


class ActionAnswer(Action):
    """Answers what the message asks, in the situation it tells (actions/retrieval.py decides)."""

    def name(self) -> Text:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        repo = repository()
        turn = turn_from_tracker(tracker)
        decision = retrieval.decide(repo, turn)
        return render(dispatcher, repo, turn, decision)


def turn_from_tracker(tracker: Tracker) -> retrieval.Turn:
    """The decision's view of the latest message and the conversation."""
    intent = latest_intent(tracker)
    ents = message_entities(tracker)
    if intent == "followup":
        ents = with_context_entities(tracker, ents)
    parse = tracker.latest_message or {}
    situation = parse.get("situation")
    text = latest_text(tracker)
    if situation is None and text:
        situation = read_situation(text, young_hint=audience(tracker) == "young").as_dict()
    return retrieval.Turn(
        text=text,
        intent=intent,
        ranking=tuple(intent_ranking(tracker)),
        entities=ents,
        audience=audience(tracker),
        context_topic=tracker.get_slot("topic"),
        context_article=tracker.get_slot("article") if intent == "followup" else None,
        button_article=(ents.get("article") or [None])[0],
        situation=situation or {},
        crisis=parse.get("crisis"),
    )


def _situation_block(turn: retrieval.Turn) -> Dict[str, Any]:
    """`custom.situation` (contract extension): what the bot understood of the story."""
    keep = ("writer", "age", "relation", "conditions", "strain", "bereaved", "asks")
    return {k: v for k, v in (turn.situation or {}).items() if k in keep}


def render(dispatcher: CollectingDispatcher, repo: Any, turn: retrieval.Turn,
           decision: retrieval.Decision) -> List[Dict[Text, Any]]:
    """Sends the reply a decision calls for; returns the slot events."""
    aud = turn.audience
    if decision.kind == "silent":
        return []
    if decision.kind == "ask_topic":
        return ask_what_about(dispatcher, aud)
    if decision.kind == "clarify":
        return clarify(dispatcher, turn, decision, count=1)
    extra: Dict[str, Any] = {}
    if turn.text:
        extra["situation"] = _situation_block(turn)
    if turn.crisis:
        extra["crisis"] = True
        extra["risk"] = turn.crisis.get("level")
    story = (turn.is_story and decision.kind in ("answer", "overview", "no_answer")
             and bool(turn.text))
    if story:
        # (a) one plain sentence that shows the situation was understood (its own message,
        # so SMS can send it before the article's sms text)
        about_writer = bool((turn.crisis or {}).get("said_of_self"))
        dispatcher.utter_message(
            text=story_copy.situation_sentence(turn.situation, aud, about_writer=about_writer,
                                               danger=bool(turn.crisis))
        )
    menu = load_menu()
    strain = bool(turn.text and STRAIN.search(turn.text))
    if decision.kind == "no_answer":
        # honest: no unrelated article; the services that fit, and at most three follow-ups
        # the place to turn for the ask (by the topic the story was read as), then the
        # lines that fit the situation
        services = story_copy.topic_services(repo, decision.topic, aud)[:1]
        services += [s for s in story_copy.fitting_services(repo, turn.situation, aud, limit=2)
                     if s not in services]
        reply = story_copy.copy()["no_answer_choices" if decision.candidates else "no_answer"][aud]
        reply = reply + "\n" + organisations.describe(services) if services else reply
        buttons = [article_button(a) for a in decision.candidates[:2]] + [HANDOVER_BUTTON[aud]]
        topic = decision.topic or "out_of_scope"
        dispatcher.utter_message(
            text=reply, buttons=buttons[:3],
            json_message=custom_block(topic, None, aud, [], offer_handover=True,
                                      services=[s.id for s in services], **extra),
        )
        return [SlotSet("topic", topic if topic in TOPIC_INTENTS else None),
                SlotSet("fallback_count", 0)]
    article = decision.article
    overview = decision.kind == "overview"
    if overview:
        # no article answers the ask: say so (a story that asks nothing: no such note), then
        # the text with the main help for the situation (its own message, so SMS sends the
        # article's sms text after it)
        intro = "overview_intro" if turn.asks else "overview_intro_told"
        dispatcher.utter_message(text=story_copy.copy()[intro][aud])
    reply = article.text_for(aud)
    # after the overview, first the place to turn for the ask (by the topic the story was
    # read as), as in the honest reply
    services = story_copy.topic_services(repo, decision.topic, aud)[:1] if overview else []
    if article.topic == "organisasjoner":
        services += [s for s in organisations.matching_services(repo, turn.entities, aud)
                     if s not in services]
        if services:
            reply = reply + "\n\n" + organisations.describe(services)
    elif story:
        # (c) the one or two services that fit this situation and audience
        services += [s for s in story_copy.fitting_services(repo, turn.situation, aud,
                                                            already=reply)
                     if s not in services]
        if services:
            reply = reply + "\n\n" + story_copy.services_text(services, aud)
    if services:
        extra["services"] = [s.id for s in services]
    if overview:
        # the likeliest articles for the ask, and a human
        buttons = [article_button(a) for a in decision.candidates[:2]] + [HANDOVER_BUTTON[aud]]
        extra["offer_handover"] = True
    else:
        buttons = [article_button(a) for a in related_articles(repo, article)]
    if strain:
        reply = reply + "\n\n" + menu["offer_human"][aud]
        buttons = [HANDOVER_BUTTON[aud]] + [b for b in buttons if b != HANDOVER_BUTTON[aud]]
        extra["offer_handover"] = True
    if looks_english(turn.text):
        reply = menu["english_note"] + "\n\n" + reply
    sources = [] if article.topic == "smalltalk" else article.sources
    dispatcher.utter_message(
        text=reply,
        buttons=buttons[:3],
        json_message=custom_block(article.topic, article.id, aud, sources, **extra),
    )
    events = [SlotSet("article", article.id), SlotSet("fallback_count", 0)]
    if article.topic in TOPIC_INTENTS:
        events.append(SlotSet("topic", article.topic))
    return events


def related_articles(repo: Any, article: Any, limit: int = 3) -> List[Any]:
    found = []
    for rid in article.related[:limit]:
        rel = repo.article(rid)
        if rel is not None:
            found.append(rel)
    return found


def ask_what_about(dispatcher: CollectingDispatcher, aud: str) -> List[Dict[Text, Any]]:
    menu = load_menu()
    dispatcher.utter_message(
        text=menu["what_about"][aud],
        buttons=menu_buttons(aud),
        json_message=custom_block("smalltalk", None, aud),
    )
    return []


class ActionHelp(Action):
    """Greets and shows what the bot can help with, as buttons."""

    def name(self) -> Text:
        return "action_help"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        aud = audience(tracker)
        menu = load_menu()
        dispatcher.utter_message(
            text=menu["intro"][aud],
            buttons=menu_buttons(aud),
            json_message=custom_block("smalltalk", "meny", aud, menu_sources()),
        )
        return [SlotSet("fallback_count", 0)]


def menu_sources() -> List[Any]:
    from types import SimpleNamespace

    return [SimpleNamespace(**s) for s in load_menu().get("sources", [])]


class ActionClarify(Action):
    """Not understood: asks a clarifying question with the likeliest articles as buttons.

    A long message or a story is never met with a clarifying question: the answer logic
    reads it (its asks and situation) instead. After two misunderstandings in a row the
    question also offers a human.
    """

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        repo = repository()
        turn = turn_from_tracker(tracker)
        decision = retrieval.decide(repo, turn)
        if decision.kind != "clarify":
            return render(dispatcher, repo, turn, decision)
        count = int(tracker.get_slot("fallback_count") or 0) + 1
        return clarify(dispatcher, turn, decision, count)


def clarify(dispatcher: CollectingDispatcher, turn: retrieval.Turn,
            decision: retrieval.Decision, count: int) -> List[Dict[Text, Any]]:
    aud = turn.audience
    buttons = [article_button(a) for a in decision.candidates[:3]]
    menu = load_menu()
    if count >= 2:
        reply = menu["clarify_again"][aud]
    else:
        reply = menu["clarify"][aud] if buttons else menu["what_about"][aud]
    if not buttons:
        buttons = [b for b in menu_buttons(aud) if b["payload"] != "/handover"]
    if count >= 2:
        buttons.append(HANDOVER_BUTTON[aud])
    if looks_english(turn.text):
        reply = menu["english_note"] + "\n\n" + reply
    dispatcher.utter_message(
        text=reply,
        buttons=buttons,
        json_message=custom_block(decision.topic or "out_of_scope", None, aud, clarify=True),
    )
    return [SlotSet("fallback_count", count)]
