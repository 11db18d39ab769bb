"""Caches of bytes, keyed by strings that hold the data's version.

With ``DASHBOARD_REDIS_URL`` every worker shares one Redis; without it each process keeps
its own bounded store. Keys carry the data's version (``db.data_version``), so an entry is
never stale, only unused: nothing is ever invalidated by hand. A cache that fails (Redis
down) answers "not cached" and the caller computes as if there were none.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Protocol

import redis

log = logging.getLogger(__name__)

# An entry lives a day at most in Redis (older versions' entries go by themselves).
TTL_SECONDS = 86_400
MAX_ENTRY_BYTES = 4 * 1024 * 1024


class Cache(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes) -> None: ...


class MemoryCache:
    """The most recently used ``max_entries`` values of this process."""

    def __init__(self, max_entries: int = 512):
        self.max_entries = max_entries
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if len(value) > MAX_ENTRY_BYTES:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


class RedisCache:
    """One store for every worker and server."""

    def __init__(self, url: str, prefix: str = "dashboard:"):
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.prefix = prefix

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get(self.prefix + key)
        except redis.RedisError as exc:
            log.warning("cache unavailable: %s", exc)
            return None

    def set(self, key: str, value: bytes) -> None:
        if len(value) > MAX_ENTRY_BYTES:
            return
        try:
            self.client.set(self.prefix + key, value, ex=TTL_SECONDS)
        except redis.RedisError as exc:
            log.warning("cache unavailable: %s", exc)


def make_cache(redis_url: str | None) -> Cache:
    return RedisCache(redis_url) if redis_url else MemoryCache()
