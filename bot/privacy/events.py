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


def _deep(value: Any, scrubber: Callable[[str], str]) -> Any:
    """`scrubber` on every string inside `value` (lists and dicts walked)."""
    if isinstance(value, str):
        return scrubber(value)
    if isinstance(value, list):
        return [_deep(v, scrubber) for v in value]
    if isinstance(value, dict):
        return {k: _deep(v, scrubber) for k, v in value.items()}
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


def scrub_event(data: Mapping[str, Any],
                slot_types: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """A scrubbed deep copy of one serialised event."""
    out: Dict[str, Any] = copy.deepcopy(dict(data))
    kind = out.get("event")
    if "metadata" in out:
        out["metadata"] = _deep(out["metadata"], scrub_regex)
    if kind == "user":
        text = out.get("text")
        out["text"] = scrub(text)
        parse = out.get("parse_data")
        if isinstance(parse, dict):
            parse_text = parse.get("text")
            parse["text"] = out["text"] if parse_text == text else scrub(parse_text)
            _scrub_entities(parse.get("entities"), parse_text, parse["text"])
            parse.pop("text_tokens", None)
            if "metadata" in parse:
                parse["metadata"] = _deep(parse["metadata"], scrub_regex)
    elif kind == "slot":
        slot_type = (slot_types or {}).get(out.get("name"), "any")
        if slot_type in TEXT_SLOT_TYPES:
            out["value"] = _deep(out.get("value"), scrub)
    elif kind == "entities":
        _scrub_entities(out.get("entities"))
    elif kind == "bot":
        # our own texts (knowledge base); scrub only what a reply might echo, keeping the
        # public service numbers the bot gives out
        out["text"] = scrub_regex(out["text"]) if isinstance(out.get("text"), str) else None
    elif kind == "user_featurization" or kind == "action":
        pass
    return out
