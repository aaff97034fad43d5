"""Cleaning user text for every channel: control characters, empty and very long input."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.text import HELP_PAYLOAD, clean_user_text
from bot.safety.crisis import detect_crisis


def test_empty_and_unprintable_input_asks_for_help():
    for raw in ["", "   ", "\x00\x01", "\ud800", None, "\u202e"]:
        assert clean_user_text(raw).text == HELP_PAYLOAD


def test_control_characters_are_removed_and_text_normalised():
    assert clean_user_text(" hei\x00 der\x07 ").text == "hei der"
    assert clean_user_text("a\u0308").text == "ä"
    assert clean_user_text(12345).text == "12345"


def test_long_messages_are_cut_at_a_word_and_say_so():
    clean = clean_user_text("hjelp " * 20_000, limit=2000)
    assert clean.truncated and len(clean.text) <= 2000
    assert clean.text.endswith("hjelp")
    assert clean.metadata() == {"truncated_from": 120_000}


def test_a_crisis_beyond_the_cut_is_kept():
    text = "Lang historie om mamma. " * 400 + "Jeg vil ikke leve mer. " + "Mer tekst. " * 200
    clean = clean_user_text(text, limit=2000)
    assert clean.truncated and len(clean.text) <= 2000
    assert detect_crisis(clean.text) is not None


@given(st.text(max_size=5000))
def test_clean_text_is_always_storable_and_bounded(raw):
    clean = clean_user_text(raw, limit=2000)
    clean.text.encode("utf-8")  # no lone surrogates
    assert 0 < len(clean.text) <= 2000


def test_raw_text_is_capped_before_analysis():
    from bot.channels.text import max_raw_chars

    raw = "Jeg vil ikke leve mer. " + "x" * 2_000_000
    clean = clean_user_text(raw, limit=2000)
    assert clean.original_length == len(raw) and len(clean.text) <= 2000
    assert max_raw_chars() == 20_000
    assert detect_crisis(clean.text) is not None


def test_runs_of_symbols_are_cut():
    assert clean_user_text("hei" + "!" * 5000 + " der").text == "hei" + "!" * 10 + " der"
    assert clean_user_text(":(" * 1000).text == ":(" * 5
    assert clean_user_text("ja...!!").text == "ja...!!"
