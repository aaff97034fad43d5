"""The lock store chosen from LOCK_STORE_URL, against the real Redis on this machine."""

from __future__ import annotations

import socket

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot.stores.lock_store import from_env

REDIS = ("127.0.0.1", 6379)


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def test_without_a_url_locks_live_in_memory(monkeypatch):
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert isinstance(from_env(), InMemoryLockStore)


def test_other_schemes_are_refused():
    with pytest.raises(ValueError):
        from_env(url="http://127.0.0.1:6379")


async def test_redis_lock_is_shared_through_redis():
    if not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import redis

    store = from_env(url="redis://127.0.0.1:6379/7")
    assert isinstance(store, RedisLockStore)
    client = redis.Redis(host="127.0.0.1", port=6379, db=7)
    async with store.lock("conversation-42"):
        keys = [k.decode() for k in client.keys("*conversation-42*")]
        assert keys, "the lock should be visible in Redis while it is held"
    assert not client.keys("*conversation-42*")


def test_the_endpoints_entry_point_is_a_class_that_gives_a_lock_store(monkeypatch):
    from rasa.core.lock_store import LockStore
    from rasa.shared.utils.common import class_from_module_path

    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    cls = class_from_module_path("bot.stores.lock_store.EnvLockStore")
    assert isinstance(cls(endpoint_config=None), LockStore)


def test_several_workers_without_redis_are_refused(monkeypatch):
    """M6: Rasa would start 4 workers, each with its own locks; the lock store refuses."""
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "4")
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        from_env()
    monkeypatch.setenv("SANIC_WORKERS", "1")
    assert isinstance(from_env(), InMemoryLockStore)


def test_several_workers_with_redis_are_fine(monkeypatch):
    monkeypatch.setenv("SANIC_WORKERS", "4")
    assert isinstance(from_env(url="redis://127.0.0.1:6379/7"), RedisLockStore)
