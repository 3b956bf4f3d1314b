"""A man's and a woman's form of one name: two people, however alike the words are.

Slavic surnames agree with their bearer's sex: Russian, Ukrainian and Bulgarian add -a to
a surname in -ov, -ev, -in (Lagunov, Lagunova; Lagunin, Lagunina), Czech and Slovak -ová
to any (Novák, Nováková), and an adjectival surname ends -sky / -skaya in Russian, -ski /
-ska in Polish, -ský / -ská in Czech (Kowalski, Kowalska; Tolstoy, Tolstaya). Many given
names of Europe and Russia make a woman's name of a man's by a final -a after a consonant
(Aleksandr, Aleksandra; Daniel, Daniela; Jan, Jana; Yevgeniy, Yevgeniya). Sources: the naming
articles of Wikipedia ("Eastern Slavic naming customs", "Polish name", "Czech name")
and the grammars they cite; general knowledge, nothing drawn from any benchmark.

One edit apart, such words pass for a typo of each other: "Yaroslava Lagunova" matched a
"Yaroslav Lagunov" at 0.99, a woman for a man (a wife, a daughter, a sister). A pair of
them is no pair of words (``match.pair_candidates``). Words are folded (lower case, ASCII).
"""

from __future__ import annotations

import re

_VOWELS = frozenset("aeiouy")
# A feminine adjectival ending and the masculine ones it pairs with, after sk, ck, tsk,
# dzk (Russian -skaya / -skiy, -sky, -skii; Polish -ska / -ski; Czech -ská / -ský) and
# the Russian -aya / -oy, -iy (Tolstaya, Tolstoy).
_ADJECTIVAL = re.compile(r"^(?P<stem>\w+?)(?P<ending>aya|aia|aja|iy|ii|yy|oy|y|i|a)$")
_FEMININE_ADJECTIVE = frozenset({"aya", "aia", "aja", "a"})
_MASCULINE_ADJECTIVE = frozenset({"iy", "ii", "yy", "y", "i", "oy"})
_SK = ("sk", "ck", "zk")
# Without sk, only Russian's long forms: Tolstaya, Tolstoy (a word's -a, -y or -i alone is
# no adjective's ending there).
_LONG_FEMININE, _LONG_MASCULINE = (
    frozenset({"aya", "aia", "aja"}),
    frozenset({"oy", "iy", "yy", "ii"}),
)


def sex_forms(one: str, other: str) -> bool:
    """Whether two name words are a man's and a woman's form of one name, either way."""
    # A woman's form ends in -a, a man's does not (most pairs of words end alike: quick).
    if one.endswith("a") == other.endswith("a"):
        return False
    shorter, longer = (one, other) if len(one) <= len(other) else (other, one)
    # The forms differ in their last three letters at most, and by three at most in length.
    if len(shorter) < 3 or len(longer) - len(shorter) > 3:
        return False
    if not longer.startswith(shorter[:-3]):
        return False
    # -a after a consonant: Lagunov / Lagunova, Aleksandr / Aleksandra; -ova: Novak / Novakova.
    if longer == shorter + "a" and shorter[-1] not in _VOWELS:
        return True
    if longer == shorter + "ova" and shorter[-1] not in _VOWELS:
        return True
    # -iy / -iya: Yevgeniy / Yevgeniya, Yuliy / Yuliya (not -i / -ia: Mari is a name of
    # its own, and a typo of Maria).
    if longer == shorter + "a" and shorter.endswith("iy"):
        return True
    return _adjectival(one, other)


def _adjectival(one: str, other: str) -> bool:
    """An adjectival surname's masculine and feminine forms (Kowalski, Kowalska)."""
    first, second = _ADJECTIVAL.match(one), _ADJECTIVAL.match(other)
    if first is None or second is None or first["stem"] != second["stem"]:
        return False
    endings = {first["ending"], second["ending"]}
    if len(endings) != 2:
        return False
    feminine = endings & _FEMININE_ADJECTIVE
    if len(feminine) != 1:
        return False
    (masculine,) = endings - feminine
    if first["stem"].endswith(_SK):
        return masculine in _MASCULINE_ADJECTIVE
    return bool(feminine & _LONG_FEMININE) and masculine in _LONG_MASCULINE
