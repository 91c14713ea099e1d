"""The in-process cache, bounded by size as well as by number of entries.

Django's LocMemCache bounds only the number of entries. Cached figures are kept under the
data version (core.stamps), so every write leaves the entries of the old version behind until
they are pushed out; with entries as large as a big arena's budget split, 20,000 entries
are far more memory than a worker should hold, and a busy server's workers grew by some
megabytes a minute. This backend also bounds the total size of what it holds (each entry's
pickled value and key, in bytes: `OPTIONS["MAX_BYTES"]`, settings' CACHE_MAX_BYTES) and
pushes out the least recently used entries to stay under it. An entry larger than the whole
bound is not cached at all.
"""

from __future__ import annotations

import pickle
from collections import OrderedDict
from threading import Lock
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

# Per cache name, as LocMemCache keeps its entries: the size of each entry, and the total.
_sizes: dict[str, dict[str, int]] = {}
_totals: dict[str, list[int]] = {}


class SizeBoundedLocMemCache(LocMemCache):
    """LocMemCache that also keeps the total size of its entries under MAX_BYTES (0: no
    bound by size). The least recently used entries go first, as with MAX_ENTRIES."""

    # LocMemCache's own (not in its type stubs)
    _cache: OrderedDict[str, bytes]
    _expire_info: dict[str, float | None]
    _lock: Lock
    _max_entries: int
    _cull_frequency: int

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        options = params.get("OPTIONS") or {}
        self._max_bytes = int(options.get("MAX_BYTES", 0) or 0)
        self._sizes = _sizes.setdefault(name, {})
        self._total = _totals.setdefault(name, [0])

    @property
    def total_bytes(self) -> int:
        """The size of what the cache holds now (values pickled, and keys), in bytes."""
        with self._lock:
            return self._total[0]

    @staticmethod
    def _size(key: str, pickled: bytes) -> int:
        return len(key) + len(pickled)

    # Called with the lock held (as LocMemCache's own _set, _delete and _cull). ------------

    def _set(self, key: str, value: bytes, timeout: Any = DEFAULT_TIMEOUT) -> None:
        self._delete(key)  # a replaced entry's size no longer counts
        size = self._size(key, value)
        if self._max_bytes:
            if size > self._max_bytes:
                return  # larger than the whole cache: not cached
            while self._cache and self._total[0] + size > self._max_bytes:
                old, _ = self._cache.popitem()  # the least recently used
                self._forget(old)
        super()._set(key, value, timeout)  # type: ignore[misc]
        self._sizes[key] = size
        self._total[0] += size

    def _forget(self, key: str) -> None:
        self._expire_info.pop(key, None)
        self._total[0] -= self._sizes.pop(key, 0)

    def _delete(self, key: str) -> bool:
        found: bool = super()._delete(key)  # type: ignore[misc]
        if found:
            self._total[0] -= self._sizes.pop(key, 0)
        return found

    def _cull(self) -> None:
        if self._cull_frequency == 0:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._total[0] = 0
            return
        # At least one (LocMemCache culls none when it holds fewer than CULL_FREQUENCY).
        for _ in range(max(1, len(self._cache) // self._cull_frequency)):
            key, _value = self._cache.popitem()
            self._forget(key)

    # Public methods that write without _set. ----------------------------------------------

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):  # type: ignore[attr-defined]
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(self._cache[key]) + delta  # noqa: S301 (our own pickles)
            expires = self._expire_info[key]
            self._set(key, pickle.dumps(value, self.pickle_protocol))
            if key in self._expire_info:
                self._expire_info[key] = expires  # as LocMemCache: incr keeps the expiry
        return value

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._total[0] = 0
