"""Scrubbing serialised events: client metadata (keys and names too) within a bounded budget."""

from __future__ import annotations

from bot.privacy import events
from bot.privacy.events import scrub_event
from tests.privacy.conftest import FNR


def test_metadata_names_and_keys_are_scrubbed():
    meta = {"mode": "ung", "user": "Kari Nordmann", "Per Hansen": f"fnr {FNR}"}
    out = scrub_event({"event": "user", "text": "hei", "metadata": meta,
                       "parse_data": {"text": "hei", "metadata": meta}})
    for scrubbed in (out["metadata"], out["parse_data"]["metadata"]):
        assert scrubbed == {"mode": "ung", "user": "[navn]", "[navn]": "fnr [fødselsnummer]"}
    assert meta["user"] == "Kari Nordmann"  # the live copy is untouched


def test_session_start_metadata_slot_is_bounded():
    long_value = "ok " * 100_000
    nested: list = []
    inner = nested
    for _ in range(5000):  # deeper than any recursion limit would allow a naive walker
        inner.append([])
        inner = inner[0]
    value = {"deep": nested, "x": long_value, "y": long_value,
             **{f"k{i}": "v" for i in range(500)}}
    out = scrub_event({"event": "slot", "name": "session_started_metadata", "value": value},
                      {"session_started_metadata": "any"})["value"]
    strings = [out["x"], out.get("y", "")]
    assert len(out["x"]) <= events.MAX_STRING_CHARS + 1 and out["x"].endswith(events.TRUNCATED)
    assert sum(len(s) for s in strings) <= events.MAX_TOTAL_CHARS + 2
    assert len(out) <= events.MAX_ITEMS

    def depth(v) -> int:
        return 1 + max((depth(x) for x in v), default=0) if isinstance(v, list) else 0

    assert depth(out["deep"]) <= events.MAX_DEPTH


def test_user_text_beyond_the_bound_is_cut():
    text = "Kari " * 10_000
    out = scrub_event({"event": "user", "text": text, "parse_data": {"text": text}})
    assert len(out["text"]) <= events.MAX_TEXT_CHARS * 2  # placeholders may be longer
    assert "Kari" not in out["text"] and out["parse_data"]["text"] == out["text"]


def test_non_text_slot_values_are_kept():
    out = scrub_event({"event": "slot", "name": "young", "value": True}, {"young": "bool"})
    assert out["value"] is True
