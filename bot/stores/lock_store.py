"""The conversation lock store: Redis when LOCK_STORE_URL is set (several Rasa processes must
share locks), else Rasa's in-memory lock store (one process).

LOCK_STORE_URL: redis://[:password@]host[:port][/db], or rediss:// for TLS.
bot/endpoints.yml names `bot.stores.lock_store.EnvLockStore` as the lock store type.
"""

from __future__ import annotations

import os
from typing import Any, Optional
from urllib.parse import urlparse

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore


def from_env(endpoint_config: Optional[Any] = None, url: Optional[str] = None) -> LockStore:
    url = url if url is not None else os.environ.get("LOCK_STORE_URL", "")
    if not url.strip():
        return InMemoryLockStore()
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"LOCK_STORE_URL must be redis:// or rediss://, got {parsed.scheme!r}")
    db = int(parsed.path.lstrip("/") or 1)
    return RedisLockStore(
        host=parsed.hostname or "localhost",
        port=parsed.port or 6379,
        db=db,
        username=parsed.username or None,
        password=parsed.password or None,
        use_ssl=parsed.scheme == "rediss",
        key_prefix="parorende",
    )


class EnvLockStore:
    """The endpoints.yml entry point: Rasa instantiates a class by module path, so this class
    hands back the store `from_env` chooses (an instance of Rasa's own lock stores)."""

    def __new__(cls, endpoint_config: Optional[Any] = None) -> LockStore:  # type: ignore[misc]
        return from_env(endpoint_config)
