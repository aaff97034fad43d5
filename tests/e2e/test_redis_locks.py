"""The Rasa server with conversation locks in the real Redis (LOCK_STORE_URL)."""

from __future__ import annotations

import pytest

from tests.bot.test_lock_store import redis_up
from tests.servers import running_bot

pytestmark = pytest.mark.e2e


def test_bot_answers_with_redis_locks(tmp_path, kb_url):
    if not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    env = {"LOCK_STORE_URL": "redis://127.0.0.1:6379/6"}
    with running_bot(tmp_path, kb_url, extra_env=env) as bot:
        replies = bot.rest("Hva er avlastning?", sender="redis-locks")
        assert any(r.get("custom", {}).get("topic") == "avlastning" for r in replies), replies
