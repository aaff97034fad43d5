"""The conversation lock store: Redis when LOCK_STORE_URL is set (several Rasa processes must
share locks), else Rasa's in-memory lock store (one process).

LOCK_STORE_URL: redis://[:password@]host[:port][/db], or rediss:// for TLS.
bot/endpoints.yml names `bot.stores.lock_store.EnvLockStore` as the lock store type.

Several Sanic workers (SANIC_WORKERS > 1) without LOCK_STORE_URL are refused at start: each
worker would have its own locks (two messages of one conversation processed at once) and its
own rate-limit and SMS state. Rasa itself lets them through, because this entry point is not
its "in_memory" type.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional
from urllib.parse import urlparse

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from bot.settings import env_float, env_int


def parse_redis_url(url: str, default_db: int = 1) -> Dict[str, Any]:
    """Connection settings of a redis:// or rediss:// URL (keyword arguments of a Redis client;
    the database defaults to ``default_db``)."""
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"a Redis URL must be redis:// or rediss://, got {parsed.scheme!r}")
    return {
        "host": parsed.hostname or "localhost",
        "port": parsed.port or 6379,
        "db": int(parsed.path.lstrip("/") or default_db),
        "username": parsed.username or None,
        "password": parsed.password or None,
        "ssl": parsed.scheme == "rediss",
    }


def lock_timeout() -> float:
    """LOCK_STORE_TIMEOUT_SECONDS (default 2): the longest wait for Redis per call."""
    return env_float("LOCK_STORE_TIMEOUT_SECONDS", 2.0, minimum=0.1)


def workers() -> int:
    return env_int("SANIC_WORKERS", 1, minimum=1)


def from_env(endpoint_config: Optional[Any] = None, url: Optional[str] = None) -> LockStore:
    url = url if url is not None else os.environ.get("LOCK_STORE_URL", "")
    if not url.strip():
        if workers() > 1:
            raise ValueError(
                f"SANIC_WORKERS={workers()} needs LOCK_STORE_URL (a Redis URL): without it "
                "every worker has its own conversation locks and rate limits"
            )
        return InMemoryLockStore()
    try:
        settings = parse_redis_url(url)
    except ValueError as error:
        raise ValueError(f"LOCK_STORE_URL: {error}") from None
    return RedisLockStore(
        host=settings["host"],
        port=settings["port"],
        db=settings["db"],
        username=settings["username"],
        password=settings["password"],
        use_ssl=settings["ssl"],
        key_prefix="parorende",
        # a Redis that hangs (rather than refuses) must not hold a turn for Rasa's 10 s:
        # after this the turn fails and the channel answers with the safe reply (113)
        socket_timeout=lock_timeout(),
    )


class EnvLockStore:
    """The endpoints.yml entry point: Rasa instantiates a class by module path, so this class
    hands back the store `from_env` chooses (an instance of Rasa's own lock stores)."""

    def __new__(cls, endpoint_config: Optional[Any] = None) -> LockStore:  # type: ignore[misc]
        return from_env(endpoint_config)
