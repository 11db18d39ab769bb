"""Caches of bytes, keyed by strings that hold the data's version, and ``remembered``, the
memo of services' results by the data's version.

With ``DASHBOARD_REDIS_URL`` every worker shares one Redis; without it each process keeps
its own bounded store. Keys carry the data's version (``db.data_version``), so an entry is
never stale, only unused: nothing is ever invalidated by hand. A cache that fails (Redis
down) answers "not cached" and the caller computes as if there were none.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import redis
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from dashboard.db import data_version

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


T = TypeVar("T")
MEMO_INFO_KEY = "memo"  # where a session made by the app finds the app's ``Memo``


def code_version() -> str:
    """A digest of the services' code: a result computed by older code (another release
    sharing the Redis) is never taken for this one's."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        digest = hashlib.sha256()
        for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
            digest.update(path.read_bytes())
        _CODE_VERSION = digest.hexdigest()[:12]
    return _CODE_VERSION


_CODE_VERSION: str | None = None


class Memo:
    """Services' results by name, arguments and the data's version: this process's most
    recent ``local_entries`` of each name as objects (no decoding at all; one name's many
    filters do not push another's costly result out), and, for results that can be written
    as bytes, every worker's in ``shared`` (Redis, when set)."""

    def __init__(self, shared: Cache | None = None, local_entries: int = 8):
        self.shared, self.local_entries = shared, local_entries
        self._local: dict[str, OrderedDict[str, Any]] = {}
        self._lock = threading.Lock()
        self.computed = 0  # results computed, not found: for tests and the benchmark

    def get(self, session: Session, name: str, parts: tuple, compute: Callable[[], T],
            dump: Callable[[T], bytes] | None = None, load: Callable[[bytes], T] | None = None) -> T:
        key = self._key(session, name, parts)
        if key is None:
            return compute()
        with self._lock:
            local = self._local.setdefault(name, OrderedDict())
            if key in local:
                local.move_to_end(key)
                return local[key]
        value = None
        if self.shared is not None and load is not None:
            raw = self.shared.get(key)
            if raw is not None:
                value = load(zlib.decompress(raw))
        if value is None:
            value = compute()
            self.computed += 1
            if self.shared is not None and dump is not None:
                self.shared.set(key, zlib.compress(dump(value), 1))
        with self._lock:
            local[key] = value
            local.move_to_end(key)
            while len(local) > self.local_entries:
                local.popitem(last=False)
        return value

    @staticmethod
    def _key(session: Session, name: str, parts: tuple) -> str | None:
        """None when the result must be computed: the session's transaction has written
        (what it reads is not yet any version's), or the database has no version."""
        if session.new or session.dirty or session.deleted:
            return None
        try:
            connection = session.connection()
            if connection.info.get("data_changed"):
                return None
            version = data_version(session)
        except SQLAlchemyError:
            session.rollback()
            return None
        raw = repr((code_version(), str(session.get_bind().url), version, name, parts))
        return "memo:" + hashlib.sha256(raw.encode()).hexdigest()


def remembered(session: Session, name: str, parts: tuple, compute: Callable[[], T],
               dump: Callable[[T], bytes] | None = None, load: Callable[[bytes], T] | None = None) -> T:
    """``compute()``, or its result for the same ``name`` and ``parts`` at the data's current
    version, when ``session`` was made by the app (which keeps a ``Memo``); any other
    session (a command, a test's own) computes."""
    memo = session.info.get(MEMO_INFO_KEY)
    if memo is None:
        return compute()
    return memo.get(session, name, parts, compute, dump, load)


def init_app(app) -> None:
    """The app's memo, handed to every session the app makes (after ``db.init_app``)."""
    redis_url = app.config.get("REDIS_URL")
    memo = Memo(RedisCache(redis_url) if redis_url else None)
    app.extensions["memo"] = memo
    app.extensions["db_sessionmaker"].configure(info={MEMO_INFO_KEY: memo})
