"""Caches bounded in bytes, for functions that attacker-chosen names reach.

An entry-count bound (``functools.lru_cache``) is no bound at all when one entry can be
large: the typo variants of one long word once took 11 MB. Here each entry is measured
when stored (its key and value, deeply enough for the strings and sets they hold), and the
least recently used go once the total passes the budget. Thread-safe: gthread workers share
a process's caches.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import cachetools

P = ParamSpec("P")
R = TypeVar("R")
_ALL: list[cachetools.LRUCache[Hashable, tuple[Any, int]]] = []


def sizeof(value: object) -> int:
    """Bytes of ``value`` with the strings, numbers and nested containers it holds."""
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        return size + sizeof(tuple(value)) + sizeof(tuple(value.values()))
    if not isinstance(value, tuple | list | set | frozenset):
        return size
    # Most values are sets or tuples of strings: measured in C, without a call per item
    # (a string is not tracked by the garbage collector: its __sizeof__ is getsizeof's
    # answer, and six times quicker to ask).
    types = set(map(type, value))
    if types == _STR:
        return size + sum(map(str.__sizeof__, value))
    if types <= _FLAT:
        return size + sum(map(sys.getsizeof, value))
    return size + sum(map(sizeof, value))


_FLAT = {str, int, float, bool, type(None)}
_STR = {str}


def bounded(max_bytes: int) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Cache a function's results, at most ``max_bytes`` of keys and values together."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        cache: cachetools.LRUCache[Hashable, tuple[Any, int]] = cachetools.LRUCache(
            max_bytes, getsizeof=lambda entry: entry[1]
        )
        lock = threading.Lock()
        _ALL.append(cache)

        @wraps(function)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            key = (args, tuple(sorted(kwargs.items()))) if kwargs else args
            with lock:
                found = cache.get(key)
            if found is not None:
                value: R = found[0]
                return value
            result = function(*args, **kwargs)
            size = sizeof(key) + sizeof(result)
            if size <= max_bytes:  # a value larger than the budget is not kept
                with lock:
                    cache[key] = (result, size)
            return result

        return cached

    return decorate


def cached_bytes() -> int:
    """Bytes held by every bounded cache, for tests and metrics."""
    return sum(int(cache.currsize) for cache in _ALL)


def reset_caches() -> None:
    """Empty every bounded cache."""
    for cache in _ALL:
        cache.clear()
