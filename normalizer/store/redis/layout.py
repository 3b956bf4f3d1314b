"""The Redis key layout of compiled tables: what readers and loaders agree on.

Keys, with ``P`` the prefix and ``V`` a version id (the table fingerprint, the load time and
random bits, so that every load writes fresh keys):

- ``{P}:current``   the version in force; moving it is the switch.
- ``{P}:versions``  hash: version -> envelope (``version.envelope``). It is also the
                    registry a load sweeps for leftovers of dead loads.
- ``{P}:lock``      held by the one process loading a version.
- ``{P}:lost``      the version Redis lost (restarted empty), as the first worker that
                    noticed remembered it; the next switch deletes it (``heal``).
- ``P:V:<n>``       bucket n of version V: a hash of about 64 fields, few enough for Redis'
                    compact listpack encoding. A table key's field is 6 bytes of its 128-bit
                    xxh3 hash seeded by V, and its bucket comes from more bits of it, so a
                    key costs 6 bytes in Redis whatever its length.
- ``P:V:bloom``     a Bloom filter of V's keys (``bloom``), 1.5 bytes a key.

The ``{P}`` hash tag puts the pointer, the registry and the lock in one cluster slot, so the
Lua scripts that touch them are legal in Redis Cluster. Buckets spread over all slots, and
every command on them names one key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import xxhash

# The layout's number, in every envelope: a reader refuses a table of another layout
# (written by another release) rather than misread it.
LAYOUT = 3  # 3: values in MessagePack
FIELD_BYTES = 6
_FIELD_MASK = (1 << 8 * FIELD_BYTES) - 1
# A replaced version stays readable for the loader's grace, never less than this; readers
# finish a lookup on a replaced version only within half of it, whatever their own
# settings, so a loader with a shorter grace than the readers' can never expire a version
# under them.
MIN_GRACE = 5.0


@dataclass(frozen=True, slots=True)
class Keys:
    """The names of one prefix's keys."""

    prefix: str = "normalizer"

    @property
    def current(self) -> str:
        return f"{{{self.prefix}}}:current"

    @property
    def versions(self) -> str:
        return f"{{{self.prefix}}}:versions"

    @property
    def lock(self) -> str:
        return f"{{{self.prefix}}}:lock"

    @property
    def lost(self) -> str:
        return f"{{{self.prefix}}}:lost"

    def bucket(self, version: str, number: int) -> str:
        return f"{self.prefix}:{version}:{number}"

    def bloom(self, version: str) -> str:
        return f"{self.prefix}:{version}:bloom"

    def of_version(self, version: str, buckets: int) -> list[str]:
        """Every key a version has: its Bloom filter and its buckets."""
        return [self.bloom(version)] + [self.bucket(version, n) for n in range(buckets)]


def locator(version: str, buckets: int) -> Callable[[str], tuple[bytes, int, int]]:
    """``locate(key)``: the field and the bucket of a table key in one version, and the
    64-bit hint its Bloom filter probes derive from (~0.25 us a key)."""
    seed = int.from_bytes(hashlib.blake2b(version.encode(), digest_size=8).digest(), "little")
    digest = xxhash.xxh3_128_intdigest

    def locate(key: str) -> tuple[bytes, int, int]:
        value = digest(key.encode(), seed)
        field = (value & _FIELD_MASK).to_bytes(FIELD_BYTES, "little")
        return field, (value >> 48 & 0xFFFFFFFF) % buckets, value >> 64

    return locate
