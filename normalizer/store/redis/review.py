"""The review queue in Redis, shared by every worker of every instance.

Keys, under the store's ``{P}`` hash tag (one cluster slot, so the scripts may touch them all):

- ``{P}:review:rank``     sorted set of the queued keys by count, the time last seen as
                          the fraction (count + last_seen / 2**32): the most frequent
                          first, the most recent first among equals, in one index.
- ``{P}:review:seen``     sorted set of the keys by the time last seen, for the retention.
- ``{P}:review:entries``  hash: ``n:<key>`` the name as first written, ``f:<key>`` the
                          time first seen, ``h:<key>`` the suggestions (JSON).
- ``{P}:review:rejected`` hash: key -> the time it was rejected.

Each call is one Lua script: a record is counted, trimmed and expired atomically.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from normalizer.store.redis.client import Client, Connection, reachable
from normalizer.store.review import Miss, QueuedName, Suggestion, once_each, review_key

# Drops a key's every trace; the scripts below start with it.
_DROP = """
local function drop(key)
    redis.call('ZREM', KEYS[1], key)
    redis.call('ZREM', KEYS[2], key)
    redis.call('HDEL', KEYS[3], 'n:' .. key, 'f:' .. key, 'h:' .. key)
end
local function expire(cutoff)
    for _, key in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. cutoff)) do
        drop(key)
    end
end
"""
# ARGV: now, cutoff, size, then key, name, suggestions of each miss. A score is written
# with 17 digits: Lua's own conversion keeps 14, which would blur the time fraction.
RECORD = (
    _DROP
    + """
local now, size = ARGV[1], tonumber(ARGV[3])
local fraction = tonumber(now) / 4294967296
local counted, n = {}, 0
for i = 4, #ARGV, 3 do
    local key = ARGV[i]
    if redis.call('HEXISTS', KEYS[4], key) == 0 then
        local rank = redis.call('ZSCORE', KEYS[1], key)
        local count = 1
        if rank then
            count = math.floor(tonumber(rank)) + 1
        else
            redis.call('HSET', KEYS[3], 'n:' .. key, ARGV[i + 1], 'f:' .. key, now)
        end
        redis.call('HSET', KEYS[3], 'h:' .. key, ARGV[i + 2])
        redis.call('ZADD', KEYS[1], string.format('%.17g', count + fraction), key)
        redis.call('ZADD', KEYS[2], now, key)
        counted[key] = true
        n = n + 1
    end
end
expire(ARGV[2])
-- The least frequent go, the longest unseen among equals; never the names just counted.
local over = redis.call('ZCARD', KEYS[1]) - size
if over > 0 then
    for _, key in ipairs(redis.call('ZRANGE', KEYS[1], 0, over + n - 1)) do
        if over == 0 then break end
        if not counted[key] then
            drop(key)
            over = over - 1
        end
    end
end
"""
)
# ARGV: cutoff, then the keys wanted (TOP: a limit instead). Per entry: key, name, rank,
# first seen, last seen, suggestions.
_ENTRY = """
local function entry(key, out)
    local found = redis.call('HMGET', KEYS[3], 'n:' .. key, 'f:' .. key, 'h:' .. key)
    if not found[1] then return end
    table.insert(out, found[1])
    table.insert(out, redis.call('ZSCORE', KEYS[1], key))
    table.insert(out, found[2])
    table.insert(out, redis.call('ZSCORE', KEYS[2], key))
    table.insert(out, found[3])
end
"""
TOP = (
    _DROP
    + _ENTRY
    + """
expire(ARGV[1])
local out = {}
for _, key in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)) do
    entry(key, out)
end
return out
"""
)
GET = _ENTRY + "local out = {} entry(ARGV[1], out) return out"
# ARGV: key, and the time of a rejection (none: a removal).
REMOVE = (
    _DROP
    + """
local queued = redis.call('ZSCORE', KEYS[1], ARGV[1])
drop(ARGV[1])
if ARGV[2] then redis.call('HSET', KEYS[4], ARGV[1], ARGV[2]) end
return queued and 1 or 0
"""
)
FIELDS = 5


def _entries(flat: Sequence[bytes]) -> list[QueuedName]:
    entries = []
    for at in range(0, len(flat), FIELDS):
        name, rank, first, last, packed = flat[at : at + FIELDS]
        suggestions = tuple(Suggestion.from_json(s) for s in orjson.loads(packed))
        count = math.floor(float(rank))
        entries.append(QueuedName(name.decode(), count, float(first), float(last), suggestions))
    return entries


class RedisReviewQueue:
    def __init__(
        self, client: Client | Callable[[], Client], prefix: str, size: int, retention: float
    ) -> None:
        self.connection = Connection(client)
        base = f"{{{prefix}}}:review"
        self.keys = [f"{base}:rank", f"{base}:seen", f"{base}:entries", f"{base}:rejected"]
        self.size = size
        self.retention = retention

    def _run(self, source: str, args: Sequence[Any]) -> Any:
        with reachable():
            return self.connection.script(source)(keys=self.keys, args=args)

    def record(self, misses: Sequence[Miss], now: float) -> None:
        args: list[Any] = [repr(now), repr(now - self.retention), self.size]
        for miss in once_each(misses):
            hints = orjson.dumps([s.to_json() for s in miss.suggestions])
            args += [review_key(miss.name), miss.name, hints]
        if len(args) > 3:
            self._run(RECORD, args)

    def top(self, limit: int, now: float) -> list[QueuedName]:
        return _entries(self._run(TOP, [repr(now - self.retention), limit]))

    def get(self, name: str) -> QueuedName | None:
        found = _entries(self._run(GET, [review_key(name)]))
        return found[0] if found else None

    def remove(self, name: str) -> bool:
        return bool(self._run(REMOVE, [review_key(name)]))

    def reject(self, name: str, now: float) -> bool:
        return bool(self._run(REMOVE, [review_key(name), repr(now)]))

    def is_rejected(self, name: str) -> bool:
        with reachable():
            return bool(self.connection.client.hexists(self.keys[3], review_key(name)))

    def close(self) -> None:
        self.connection.close()
