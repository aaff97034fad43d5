"""Scrub serialised Rasa events (``Event.as_dict()``) before they are persisted or streamed.

Only copies are changed: the live tracker (what NLU, policies and actions see during the
current message) keeps the original text.
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Dict, Mapping, Optional

from bot.privacy.scrub import scrub, scrub_regex

# slot types whose values are free text (scrubbed fully, names included)
TEXT_SLOT_TYPES = frozenset({"text", "any", "list"})


# Bounds on what is scrubbed in one value (client metadata, slot values): the channels keep
# only an allow-list of metadata keys, but whatever reaches the store is bounded here too, so
# scrubbing costs at most a few milliseconds whatever a client sends.
MAX_STRING_CHARS = 1000  # a longer string is cut to this before it is scrubbed
MAX_TOTAL_CHARS = 2000  # characters (keys and strings) scrubbed per value; the rest is dropped
MAX_ITEMS = 100  # list items and dict entries walked per value; the rest is dropped
MAX_DEPTH = 8  # deeper lists and dicts are dropped
TRUNCATED = "…"


class _Budget:
    def __init__(self) -> None:
        self.items = MAX_ITEMS
        self.chars = MAX_TOTAL_CHARS

    def take(self) -> bool:
        self.items -= 1
        return self.items >= 0 and self.chars > 0

    def cut(self, text: str) -> str:
        """`text` cut to what is left of the budget (and to MAX_STRING_CHARS)."""
        room = max(0, min(MAX_STRING_CHARS, self.chars))
        self.chars -= min(len(text), room)
        return text if len(text) <= room else text[:room] + TRUNCATED


def _deep(value: Any, scrubber: Callable[[str], str], budget: Optional[_Budget] = None,
          depth: int = 0) -> Any:
    """`scrubber` on every string inside `value`, dict keys included (lists and dicts
    walked), within the bounds above: long strings cut, deep or large structures cut short."""
    budget = budget or _Budget()
    if isinstance(value, str):
        return scrubber(budget.cut(value))
    if isinstance(value, (list, tuple)):
        if depth >= MAX_DEPTH:
            return []
        out = []
        for v in value:
            if not budget.take():
                break
            out.append(_deep(v, scrubber, budget, depth + 1))
        return out
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            return {}
        result = {}
        for k, v in value.items():
            if not budget.take():
                break
            key = scrubber(budget.cut(k)) if isinstance(k, str) else k
            result[key] = _deep(v, scrubber, budget, depth + 1)
        return result
    return value


REDACTED = "[skjult]"


def _scrub_entities(entities: Any, text: Optional[str] = None,
                    scrubbed_text: Optional[str] = None) -> Any:
    """Scrub entity values. A value taken from the message ("912" out of "912 34 567") that
    no longer occurs in the scrubbed message was part of something scrubbed: «[skjult]»."""
    if not isinstance(entities, list):
        return entities
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        entity.pop("additional_info", None)  # raw extractor output (may hold the text)
        value = entity.get("value")
        if not isinstance(value, str):
            continue
        if (text and scrubbed_text is not None and value and value in text
                and value not in scrubbed_text):
            entity["value"] = REDACTED
        else:
            entity["value"] = scrub(value)
    return entities


MAX_TEXT_CHARS = 20_000  # user text longer than this (the channels cut at 2,000) is cut first
_ABSENT = object()


def _cut_text(text: Any) -> Any:
    return text[:MAX_TEXT_CHARS] if isinstance(text, str) else text


def scrub_event(data: Mapping[str, Any],
                slot_types: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """A scrubbed deep copy of one serialised event."""
    data = dict(data)
    # values that may come from a client are copied by the bounded walker, not by deepcopy
    # (which would recurse through whatever nesting the client sent)
    metadata = data.pop("metadata", _ABSENT)
    kind = data.get("event")
    value = data.pop("value", _ABSENT) if kind == "slot" else _ABSENT
    parse_metadata = _ABSENT
    if isinstance(data.get("parse_data"), dict):
        data["parse_data"] = dict(data["parse_data"])
        parse_metadata = data["parse_data"].pop("metadata", _ABSENT)
    out: Dict[str, Any] = copy.deepcopy(data)
    if metadata is not _ABSENT:  # may come from the client: names and keys scrubbed too
        out["metadata"] = _deep(metadata, scrub)
    if kind == "user":
        text = out.get("text")
        out["text"] = scrub(_cut_text(text))
        parse = out.get("parse_data")
        if isinstance(parse, dict):
            parse_text = parse.get("text")
            parse["text"] = out["text"] if parse_text == text else scrub(_cut_text(parse_text))
            _scrub_entities(parse.get("entities"), parse_text, parse["text"])
            parse.pop("text_tokens", None)
            if parse_metadata is not _ABSENT:
                parse["metadata"] = _deep(parse_metadata, scrub)
    elif kind == "slot":
        slot_type = (slot_types or {}).get(out.get("name"), "any")
        if value is not _ABSENT:
            # free text (and `any`, e.g. session_started_metadata from the client): scrubbed
            # within bounds; other types (bool, float, categorical) are small and kept
            out["value"] = (_deep(value, scrub) if slot_type in TEXT_SLOT_TYPES
                            else copy.deepcopy(value))
    elif kind == "entities":
        _scrub_entities(out.get("entities"))
    elif kind == "bot":
        # our own texts (knowledge base); scrub only what a reply might echo, keeping the
        # public service numbers the bot gives out
        out["text"] = scrub_regex(out["text"]) if isinstance(out.get("text"), str) else None
    elif kind == "user_featurization" or kind == "action":
        pass
    return out
