"""Graceful degradation over real servers: the knowledge base down, then the action server
down. The user still gets a safe, Rasa-side reply (emergency number and a human helpline),
crisis replies are unaffected, and the failure is logged.

Uses the shared bot: its action server is restarted with an unreachable knowledge base,
then stopped, and afterwards restarted as it was."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

# A PostgreSQL URL where nothing listens: every knowledge-base query fails.
UNREACHABLE_KB = "postgresql://postgres@127.0.0.1:9/none"


def customs(replies):
    return [r["custom"] for r in replies if "custom" in r]


@pytest.fixture(scope="module")
def bot_without_kb(bot):
    bot.restart_actions({"KB_URL": UNREACHABLE_KB})
    yield bot
    bot.restart_actions()  # the shared knowledge base again, for the tests after this module
    assert bot.rest("Hva er avlastning?", sender="kb-back")[0].get("text")


def assert_safe_reply(replies):
    text = " ".join(r.get("text", "") for r in replies)
    assert "113" in text, replies
    block = customs(replies)[0]
    assert block["degraded"] is True
    assert block["handover"]["phone"]


def test_knowledge_base_down_gives_a_safe_reply(bot_without_kb):
    replies = bot_without_kb.rest("Hva er avlastning?", sender="kb-down")
    assert_safe_reply(replies)
    assert "custom action action_answer failed" in bot_without_kb.logs["rasa"].read_text()


def test_action_server_down_gives_a_safe_reply_and_crisis_still_works(bot_without_kb):
    bot_without_kb.stop_actions()
    replies = bot_without_kb.rest("Kan jeg få omsorgsstønad?", sender="actions-down")
    assert_safe_reply(replies)
    crisis = bot_without_kb.rest("jeg vil ikke leve mer", sender="actions-down")
    assert crisis[0]["text"].startswith("Ring 113")
