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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import xxhash

_digest = xxhash.xxh3_128_intdigest

# The layout's number, in every envelope: a reader refuses a table of another layout
# (written by another release) rather than misread it.
LAYOUT = 5  # 3: values in MessagePack; 4: one alias's postings its id alone; 5: records
# without the id their key writes
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


def version_seed(version: str) -> int:
    """The seed of a version's key hashes."""
    return int.from_bytes(hashlib.blake2b(version.encode(), digest_size=8).digest(), "little")


def locator(version: str, buckets: int) -> Callable[[str], tuple[bytes, int, int]]:
    """``locate(key)``: the field and the bucket of a table key in one version, and the
    64-bit hint its Bloom filter probes derive from (~0.25 us a key)."""
    seed = version_seed(version)

    def locate(key: str) -> tuple[bytes, int, int]:
        value = _digest(key.encode(), seed)
        field = (value & _FIELD_MASK).to_bytes(FIELD_BYTES, "little")
        return field, (value >> 48 & 0xFFFFFFFF) % buckets, value >> 64

    return locate


# A lookup hashes hundreds of keys and places the few its Bloom filter lets through:
# ``locate`` in three passes, each a loop of its own.
def digests(seed: int, keys: Sequence[str]) -> list[int]:
    """The 128-bit hashes of ``keys`` in the version of this seed."""
    return [_digest(key.encode(), seed) for key in keys]


def hints(hashes: Sequence[int]) -> list[int]:
    """The Bloom filter hints of keys of these hashes (``locate``'s third)."""
    return [value >> 64 for value in hashes]


def place(value: int, buckets: int) -> tuple[bytes, int]:
    """The field and bucket of a key of this hash (``locate``'s first two)."""
    return (value & _FIELD_MASK).to_bytes(FIELD_BYTES, "little"), (
        value >> 48 & 0xFFFFFFFF
    ) % buckets
