"""The shared bot takes its conversation locks in the real Redis (LOCK_STORE_URL) when Redis
runs on this machine."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_bot_answers_with_redis_locks(bot):
    if not bot.redis_locks:
        pytest.skip("Redis is not running on 127.0.0.1:6379: the shared bot uses in-memory locks")
    import redis

    replies = bot.rest("Hva er avlastning?", sender="redis-locks")
    assert any(r.get("custom", {}).get("topic") == "avlastning" for r in replies), replies
    # the Rasa server holds a connection to the lock database: the locks went through Redis
    # (this test asks from database 0, so its own connection does not count)
    clients = redis.Redis(host="127.0.0.1", port=6379, db=0).client_list()
    assert any(int(c.get("db", -1)) == 6 for c in clients), clients
