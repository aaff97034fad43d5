"""Answers from the knowledge base, the help menu, and clarification when unsure."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import organisations, retrieval
from actions.common import (
    INTENT_TOPIC,
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

MENU_FILE = Path(__file__).with_name("menu.yml")

# What a question asks about, from its wording (Bokmål, Nynorsk, common spellings).
ASPECT_PATTERNS = (
    ("soke", r"\b(søk|sok|søknad|soknad|søkje|søke|søker|sokjer|søkjer|få det|få tak i|skjema)"),
    ("hvor_mye", r"\b(hvor mye|kor mykje|hvor mange|kor mange|hvor lenge|kor lenge|dager|dagar|"
                 r"beløp|belop|koster|kostar|sats|kroner|timer|uker|veker)"),
    ("klage", r"\b(klag|avslag|uenig|ueinig)"),
    ("hvem", r"\b(hvem|kven|hvilke|kva for)\b"),
    ("rett", r"\b(rett til|rettighet|har jeg krav|har eg krav|krav på|lov til|har lov)"),
    ("hva", r"\b(hva er|kva er|hva betyr|kva betyr|hva innebærer|forklar)"),
)

# Smalltalk intents and the knowledge-base article that answers each (if the KB has it).
SMALLTALK_ARTICLES = {
    "greet": "smalltalk-hei",
    "goodbye": "smalltalk-hade",
    "thank": "smalltalk-takk",
    "bot_challenge": "smalltalk-bot",
    "affirm": "smalltalk-hei",
    "deny": "smalltalk-hei",
}


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


def detect_aspect(text: str) -> Optional[str]:
    lowered = (text or "").lower()
    for aspect, pattern in ASPECT_PATTERNS:
        if re.search(pattern, lowered):
            return aspect
    return None


def load_menu() -> Dict[str, Any]:
    return yaml.safe_load(MENU_FILE.read_text(encoding="utf-8"))


def menu_buttons(aud: str) -> List[Dict[str, str]]:
    menu = load_menu()
    return [{"title": b["title"], "payload": b["payload"]} for b in menu["buttons"][aud]]


class ActionAnswer(Action):
    """Answers a topic question (or a follow-up) with the best article of the topic."""

    def name(self) -> Text:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        repo = repository()
        intent = latest_intent(tracker)
        text = latest_text(tracker)
        aud = audience(tracker)
        ents = message_entities(tracker)

        article = None
        if ents.get("article"):
            article = repo.article(ents["article"][0])
        topic = article.topic if article else INTENT_TOPIC.get(intent)
        context_topic = tracker.get_slot("topic")
        ranking = intent_ranking(tracker)
        if intent == "followup" and article is None:
            ents = with_context_entities(tracker, ents)
            if not context_topic and not (text and retrieval.topic_confidences(ranking)):
                return ask_what_about(dispatcher, aud)
            topic = context_topic or "followup"
        if topic is None:
            return ask_what_about(dispatcher, aud)

        if article is None and topic == "smalltalk" and intent in SMALLTALK_ARTICLES:
            article = repo.article(SMALLTALK_ARTICLES[intent])
        if article is None and topic in TOPIC_INTENTS + ("followup",):
            # the NLU's best topics compete; a button payload without words keeps its topic
            ranked = retrieval.rank(
                repo, text, ranking, ents, detect_aspect(text), context_topic,
                topics=None if text else [topic],
                context_article=tracker.get_slot("article") if intent == "followup" else None,
            )
            article = ranked[0].article if ranked else None
        if article is None and topic != "followup":
            article = repo.best_article(topic, text, ents, detect_aspect(text))
        if article is None:
            topic = context_topic or "smalltalk"
        if article is None:
            dispatcher.utter_message(
                text="Dette har jeg dessverre ikke noe godt svar på ennå. "
                "Vil du snakke med et menneske, kan du trykke på knappen under.",
                buttons=[HANDOVER_BUTTON[aud]],
                json_message=custom_block(topic, None, aud),
            )
            return [SlotSet("topic", topic)]

        reply = article.text_for(aud)
        extra: Dict[str, Any] = {}
        if article.topic == "organisasjoner":
            services = organisations.matching_services(repo, ents, aud)
            if services:
                reply = reply + "\n\n" + organisations.describe(services)
                extra["services"] = [s.id for s in services]
        buttons = [article_button(a) for a in related_articles(repo, article)]
        menu = load_menu()
        if STRAIN.search(text):
            reply = reply + "\n\n" + menu["offer_human"][aud]
            buttons = [HANDOVER_BUTTON[aud]] + buttons
            extra["offer_handover"] = True
        if looks_english(text):
            reply = menu["english_note"] + "\n\n" + reply
        dispatcher.utter_message(
            text=reply,
            buttons=buttons,
            json_message=custom_block(article.topic, article.id, aud, article.sources, **extra),
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

    After two misunderstandings in a row it also offers a human.
    """

    def name(self) -> Text:
        return "action_clarify"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        repo = repository()
        aud = audience(tracker)
        text = latest_text(tracker)
        count = int(tracker.get_slot("fallback_count") or 0) + 1
        ranked_intents = intent_ranking(tracker)
        ranking = [r.get("name") for r in ranked_intents if r.get("name") in TOPIC_INTENTS][:3]
        buttons: List[Dict[str, str]] = []
        if text.strip():
            # the likeliest articles: the NLU's best topics (every topic when none is
            # likely) ranked by similarity and keywords, as in the answer action
            ranked = retrieval.rank(repo, text, ranked_intents, {}, None)
            buttons = [article_button(r.article) for r in ranked[:3] if retrieval.relevant(r)]
        menu = load_menu()
        if count >= 2:
            reply = menu["clarify_again"][aud]
        else:
            reply = menu["clarify"][aud] if buttons else menu["what_about"][aud]
        if not buttons:
            buttons = [b for b in menu_buttons(aud) if b["payload"] != "/handover"]
        if count >= 2:
            buttons.append(HANDOVER_BUTTON[aud])
        if looks_english(text):
            reply = menu["english_note"] + "\n\n" + reply
        guess = ranking[0] if ranking else "out_of_scope"
        dispatcher.utter_message(
            text=reply,
            buttons=buttons,
            json_message=custom_block(guess, None, aud, clarify=True),
        )
        return [SlotSet("fallback_count", count)]
