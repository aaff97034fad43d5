"""Phone numbers in domain responses (the crisis reply) are sourced service records.

The crisis reply lives in the domain (it must work when the action server is down), so it
cannot use the knowledge base at run time; this test ties its numbers to the records."""

from __future__ import annotations

import re

PHONE = re.compile(r"(?<![\d])(\d[\d ]{1,12}\d)(?![\d])")
EMERGENCY = {"113", "112", "110"}


def phones_in(text: str) -> set[str]:
    return {m.replace(" ", "") for m in PHONE.findall(text) if len(m.replace(" ", "")) >= 3}


def test_every_number_in_domain_responses_is_a_sourced_service(domain_dict, repo):
    by_digits = {s.phone.replace(" ", ""): s for s in repo.services() if s.phone}
    found = 0
    for name, variants in domain_dict["responses"].items():
        for variant in variants:
            for digits in phones_in(variant.get("text") or ""):
                found += 1
                assert digits in by_digits, f"{name}: {digits} is not a sourced phone number"
    assert found >= 4


def test_crisis_reply_starts_with_the_emergency_number(domain_dict):
    for variant in domain_dict["responses"]["utter_crisis"]:
        assert variant["text"].startswith("Ring 113"), "the crisis reply must start with 113"


# Numbers the domain responses say answer "hele døgnet" (read the texts when changing them).
CLAIMED_24_7 = {
    "utter_crisis": {"116123", "22400040", "116111"},
    "utter_safe_fallback": {"116123", "116111"},
}


def test_lines_said_to_answer_around_the_clock_have_verified_24_7_hours(domain_dict, repo):
    by_digits = {s.phone.replace(" ", ""): s for s in repo.services() if s.phone}
    for name, claimed in CLAIMED_24_7.items():
        in_texts = set().union(*(phones_in(v["text"]) for v in domain_dict["responses"][name]))
        assert claimed <= in_texts, f"{name}: update CLAIMED_24_7"
        for digits in claimed:
            hours = by_digits[digits].channel_hours("phone")
            assert hours is not None and hours.always, f"{digits}: no verified 24/7 phone hours"
