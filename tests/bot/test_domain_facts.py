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


# Who is at risk picks the numbers (bot/safety/risk.py): each variation of the crisis reply
# starts with the emergency number for its danger and carries the lines for it.
FIRST_NUMBER = {"violence_adult": "Ring 112", "violence_child": "Ring 112"}
MUST_CARRY = {
    "self": {"113", "116123"},
    "other": {"113"},
    "violence_adult": {"112", "116006"},
    "violence_child": {"112", "116111"},
    "overdose": {"113"},
    "medical": {"113"},
    "unknown": {"113", "112"},
}


def _condition(variant: dict, slot: str):
    for cond in variant.get("condition") or []:
        if cond.get("name") == slot:
            return cond.get("value")
    return None


def test_crisis_reply_starts_with_the_emergency_number(domain_dict):
    for variant in domain_dict["responses"]["utter_crisis"]:
        danger = _condition(variant, "danger")
        first = FIRST_NUMBER.get(danger, "Ring 113")
        assert variant["text"].startswith(first), f"{danger}: must start with {first!r}"
        wanted = MUST_CARRY.get(danger, set())
        if _condition(variant, "young_mode") is True and danger and danger.startswith("violence"):
            wanted = {"112", "116111"}  # children: Alarmtelefonen (VO-linjen is 18+)
        assert wanted <= phones_in(variant["text"]), (danger, variant["text"])


def test_every_danger_and_audience_has_exactly_one_crisis_variation(domain_dict):
    """Rasa picks at random among matching variations: they must not overlap."""
    seen = {}
    for variant in domain_dict["responses"]["utter_crisis"]:
        if not variant.get("condition"):
            continue
        key = (_condition(variant, "young_mode"), _condition(variant, "danger"),
               _condition(variant, "risk"))
        assert key not in seen, f"two variations for {key}"
        seen[key] = variant
    for young in (True, False):
        for danger in MUST_CARRY:
            assert any(k[0] is young and k[1] == danger for k in seen), (young, danger)
    for (young, danger, risk) in seen:  # a risk-specific variation has its sibling
        if risk is not None:
            other = "concern" if risk == "acute" else "acute"
            assert (young, danger, other) in seen and (young, danger, None) not in seen


# Numbers the domain responses say answer "hele døgnet" (read the texts when changing them).
CLAIMED_24_7 = {
    "utter_crisis": {"116123", "22400040", "116111", "116006", "22591300"},
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
