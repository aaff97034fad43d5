"""Fuzzing the REST channel of the real bot: empty, huge, control characters, invalid UTF-8,
emoji only, markup, other languages. Never a 5xx, never a crash, always a kind reply with the
contract's `custom` block. `make fuzz` runs many more cases (FUZZ_EXAMPLES)."""

from __future__ import annotations

import os
import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "600"))

markup = st.sampled_from([
    "<script>alert(1)</script>", "<b>hei</b>", "[lenke](javascript:alert(1))", "{{7*7}}",
    "'; DROP TABLE events; --", "/greet", "/okonomi{\"article\": \"../../etc/passwd\"}",
    "/ukjent_intent", "/okonomi{ikke json", "\u202eevil", "\x00\x01\x02",
])
languages = st.sampled_from([
    "My mother has cancer, what can I do?", "Moja mama jest chora", "أمي مريضة",
    "Äitini on sairas", "Mu eadni lea buohcci", "Моя мама болеет", "我妈妈病了",
])
messages = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(whitelist_categories=("So", "Sk", "Cs", "Cc", "Zs")),
            max_size=50),
    markup, languages,
    st.builds(lambda a, b: a + b, languages, markup),
)


def check_reply(response: requests.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    if response.status_code != 200:
        return
    replies = response.json()
    assert any(r.get("text") for r in replies), replies
    assert any("custom" in r for r in replies), replies


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(message=messages)
def test_any_text_gets_a_kind_reply(bot, message):
    response = requests.post(f"{bot.bot_url}/webhooks/rest/webhook",
                             json={"sender": f"fuzz-{uuid.uuid4().hex[:8]}", "message": message},
                             timeout=60)
    check_reply(response)


@pytest.mark.parametrize("body", [
    b"\xff\xfe\xfa not utf-8",
    b'{"sender": "x", "message": "\xc3\x28"}',
    b"not json at all",
    b'{"sender": "x"}',
    b'{"message": 12345, "sender": "x"}',
    b"",
])
def test_malformed_bodies_never_give_a_5xx(bot, body):
    response = requests.post(f"{bot.bot_url}/webhooks/rest/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code < 500, response.text[:300]


@pytest.mark.parametrize("message", ["", "   ", "🙂🙂🙂", "a" * 100_000,
                                     "hjelp " * 20_000, "Hva er avlastning? " + "x" * 50_000])
def test_empty_huge_and_emoji_only_messages(bot, message):
    response = requests.post(f"{bot.bot_url}/webhooks/rest/webhook",
                             json={"sender": f"fuzz-{uuid.uuid4().hex[:8]}", "message": message},
                             timeout=120)
    check_reply(response)


def test_a_body_over_the_size_limit_is_refused(bot):
    body = b'{"sender": "big", "message": "' + b"a" * 1_200_000 + b'"}'
    response = requests.post(f"{bot.bot_url}/webhooks/rest/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=60)
    assert response.status_code == 413


def test_per_sender_rate_limit_answers_kindly(bot):
    sender = f"flood-{uuid.uuid4().hex[:8]}"
    statuses = []
    for _ in range(35):
        response = requests.post(f"{bot.bot_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": "/help"}, timeout=60)
        statuses.append(response.status_code)
    assert statuses[:30] == [200] * 30
    assert statuses[-1] == 429
    assert "113" in response.json()[0]["text"]
