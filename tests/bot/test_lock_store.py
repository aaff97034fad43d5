"""The lock store chosen from LOCK_STORE_URL, against the real Redis on this machine."""

from __future__ import annotations

import socket

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockError, RedisLockStore

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


async def test_a_hung_redis_fails_the_lock_within_the_timeout(monkeypatch):
    """A Redis that accepts connections and never answers (a firewall dropping replies, a
    frozen server) fails the lock after LOCK_STORE_TIMEOUT_SECONDS, not Rasa's 10 s: the
    channel then answers with the safe reply."""
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # accepts (the kernel does), never reads or answers
    port = listener.getsockname()[1]
    monkeypatch.setenv("LOCK_STORE_TIMEOUT_SECONDS", "0.5")
    store = from_env(url=f"redis://127.0.0.1:{port}/7")
    started = time.monotonic()
    try:
        with pytest.raises(LockError):  # Rasa's, from redis' timeout
            async with store.lock("conversation-hung"):
                pass
    finally:
        listener.close()
    assert time.monotonic() - started < 5
