"""How alike two words are by their consonant skeletons (``text.phonetics.skeleton``): for
names transcribed from another script, which drops or respells vowels, and for vowel
variants of romanized names (Muhammad, Mohammed)."""

from __future__ import annotations

import re

from normalizer.text.phonetics import jaro_winkler, one_edit, skeleton, sound_classes
from normalizer.text.transcription import alias_readings

# The least Jaro-Winkler similarity that makes two words alike, as written or by skeleton.
MIN_FUZZY = 0.88
LOOSE_SIMILARITY = 0.9
NEAR_SKELETON = 0.82
_VOWEL_LIKE = frozenset("aeiouyhw")
# A first letter another script writes for another sound: (as written, as sounded).
READ_AS = (("kh", "j"), ("kh", "h"), ("g", "h"))
# An r after a vowel and before none, which non-rhotic English does not say.
NON_RHOTIC = re.compile(r"(?<=[aeiou])r+(?![aeiouy])")


def skeleton_similarity(query: str, alias: str, near: bool = False) -> float:
    """Similarity of consonant skeletons, for names transcribed from another script.

    ``near``: also accept skeletons one consonant apart, weakly.
    """
    sq, sa = skeleton(query, hard_g=near), skeleton(alias)
    if near and sq != sa:
        # Another script's letter may stand for another sound: Russian х writes Spanish j
        # ("Хавьер" for Javier), Russian г writes German h ("Гельмут" for Helmut).
        for written, sound in READ_AS:
            respelled = sound + query[len(written) :]
            # The alias word writes the sound so: read as an h, which a skeleton leaves
            # out, the first letter would otherwise vanish ("Гломак" as "hlomak", alike a
            # Romak by the consonants left).
            if (
                query.startswith(written)
                and alias.startswith(sound)
                and skeleton(respelled, hard_g=True) == sa
            ):
                sq = sa
                break
    if near and sq != sa:
        sa = next((other for other in alias_readings(alias) if other == sq), sa)
    if sq == sa and len(sq) >= 3:
        return LOOSE_SIMILARITY
    if sq == sa and len(sq) == 2 and _starts_alike(query, alias):
        # Two consonants are common to many names ("Jenny", "Jin"): weaker evidence.
        return NEAR_SKELETON
    # Both uses below take a skeleton of two consonants or more.
    non_rhotic = near and len(sq) >= 2 and sq != sa and skeleton(NON_RHOTIC.sub("", alias)) == sq
    if non_rhotic and len(sq) >= 3:
        # Korean and Japanese follow non-rhotic English ("Tucker" is written teokeo): an r
        # after a vowel, not written, is no consonant lost (Doberman, dobaman).
        return LOOSE_SIMILARITY
    if min(len(sq), len(sa)) >= 4:
        similarity = jaro_winkler(sq, sa)
        if similarity >= MIN_FUZZY:
            return similarity * LOOSE_SIMILARITY
    if near and min(len(sq), len(sa)) >= 3 and _starts_alike(query, alias) and one_edit(sq, sa):
        # One consonant more or less: a lost r ("Jordan" in Japanese is joodan) or a
        # consonant the other script does not write.
        return NEAR_SKELETON
    if non_rhotic and len(sq) == 2:
        return NEAR_SKELETON  # as two consonants in common are
    if near and sq == sa and len(sq) == 1 and max(len(query), len(alias)) <= 5:
        # A short name with its one consonant first in both ("Ной" for Noah, "Фэй" for Faye),
        # or with its vowels where the other has them ("Ева" for Eva).
        if query[0] == alias[0] or sq == skeleton(query[0]) == skeleton(alias[:2]):
            return NEAR_SKELETON
        if sound_classes(query) == sound_classes(alias):
            return NEAR_SKELETON
    return 0.0


def _starts_alike(a: str, b: str) -> bool:
    """Both words start with a consonant, or both with a vowel-like letter (as sounded:
    English writes r as wr at the start of a word, which another script writes as r)."""
    return (_first_sound(a) in _VOWEL_LIKE) == (_first_sound(b) in _VOWEL_LIKE)


def _first_sound(word: str) -> str:
    return word[1] if word.startswith("wr") else word[0]
