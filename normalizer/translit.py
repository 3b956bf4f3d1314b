"""Transliteration of any script to ASCII.

unidecode is the base. Everything is cached, and pure ASCII takes a fast path.
"""

from __future__ import annotations

from functools import lru_cache

from unidecode import unidecode


@lru_cache(maxsize=65536)
def to_ascii(text: str) -> str:
    """Transliterate ``text`` to ASCII; ASCII text is returned unchanged."""
    if text.isascii():
        return text
    return unidecode(text)
