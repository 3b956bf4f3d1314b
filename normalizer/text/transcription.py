"""How a Latin name comes back from another script: the word respelled as a transcription
into Cyrillic writes it, then romanized as ``translit.to_ascii`` romanizes Cyrillic.

Russian does not transliterate English, Japanese or Chinese names letter by letter; it
writes their sound by fixed conventions, and those conventions are what a Cyrillic query
holds. Romanized back, "Мэттью" is mettyu, not Matthew; "Тиаки" is tiaki, not Chiaki; "Лю"
is lyu, not Liu. A consonant skeleton finds such words only alike; their readings here find
them as Russian writes them. Japanese, Korean and Hebrew write some English sounds the same
way (Paul as pol or pul, Ray as rei), so the readings serve any transcribed query. The
rules, each applied to every match in a word or to none (a word gets each combination):

- English-Russian practical transcription (R. S. Gilyarevsky and B. A. Starostin, "Foreign
  names and titles in Russian text", 1985; D. I. Yermolovich, "Names and titles: an
  English-Russian dictionary", 2001): x is кс (Alexander, Александр); ew is ью (Matthew,
  Мэттью; Andrew, Эндрю; Newton, Ньютон); a before two consonants or a final one, or
  before y or i, is э or е (Black, Блэк; Jackson, Джексон; Ray, Рэй; Taylor, Тейлор); aw
  and au are о or оу (Paul, Пол; Shaw, Шоу); the silent letters of English are not
  written: wr and kn at the start of a word are р and н, igh after a consonant is ай
  (Wray, Рэй; Knight, Найт); h first in a word is also г, the older convention for
  German and English names (Hamburg, Гамбург; Heine, Гейне), and German ch is х (Bach,
  Бах). The spelling fold (``phonetics``) already writes th as t, ck as k, kh as h, dzh
  as j and a final y as i, as these transcriptions do.
- Spanish-Russian practical transcription (Gilyarevsky and Starostin): j, and g before e
  or i, are х, kh (Gerardo, Херардо; Jiménez, Хименес), as Arabic and Hebrew write them too
  (خ, ח) and Japanese and Korean as h.
- The Polivanov system of Japanese in Cyrillic (the Russian standard, 1917): chi, shi and
  ji are ти, си and дзи; cha, chu, cho are тя, тю, тё; sha, shu, sho are ся, сю, сё;
  ja, ju, jo are дзя, дзю, дзё; z is дз (Chiaki, Тиаки; Shinzo, Синдзо).
- The Palladius system of Chinese in Cyrillic (the Russian standard since the 19th
  century): pinyin iu is ю (Liu, Лю; Niu, Ню); ``text.palladius`` reads a Cyrillic word
  back by the system's whole syllable table.

Before any script writes it, a Latin name is read as its own language reads it: Wendt
is Vendt to a German, Padilla Padiya to a Spaniard. ``alias_readings`` gives such a
word's consonant skeletons, by which any transcribed query may find and compare it.
"""

from __future__ import annotations

from functools import lru_cache

from normalizer.text.phonetics import (
    TOKEN_CACHE,
    skeleton,
    spelling_fold,
    substitutions,
    variants,
)

_RULES = substitutions(
    # English-Russian practical transcription (Gilyarevsky and Starostin; Yermolovich).
    (r"x", "ks"),
    (r"ew(?![aeiou])", "yu"),
    (r"a(?=[^aeiouy]{2}|[^aeiouy]$|[yi])", "e"),
    (r"a[wu](?![aeiou])", "o"),
    (r"a[wu](?![aeiou])", "ou"),
    (r"^wr", "r"),
    (r"^kn", "n"),
    (r"(?<![aeiou])igh", "ai"),
    (r"^h", "g"),
    (r"ch", "kh"),
    # Spanish-Russian practical transcription (Gilyarevsky and Starostin).
    (r"j", "kh"),
    (r"g(?=[ei])", "kh"),
    # Polivanov's Japanese in Cyrillic.
    (r"chi", "ti"),
    (r"shi", "si"),
    (r"ji", "dzi"),
    (r"j(?=[auo])", "dzy"),
    (r"z", "dz"),
    (r"ch(?=[auo])", "ty"),
    (r"sh(?=[auo])", "sy"),
    # Palladius's Chinese in Cyrillic.
    (r"iu", "yu"),
)


# The same conventions the other way: the Latin letters a romanized Cyrillic word's letters
# may transcribe, for the keys a query asks (a word found by them is then compared by the
# readings above).
_SPELLINGS = substitutions(
    (r"ks", "x"),
    (r"yu(?![aeiou])", "ew"),
    (r"e(?=[^aeiouy]{2}|[^aeiouy]$|[yi])", "a"),
    (r"ou(?![aeiou])", "aw"),
    (r"ou(?![aeiou])", "au"),
    (r"kh(?=[ei])", "g"),
    (r"kh", "j"),
    (r"^g", "h"),
    (r"kh", "ch"),
    (r"ti", "chi"),
    (r"si", "shi"),
    (r"dzi", "ji"),
    (r"dzy(?=[auo])", "j"),
    (r"dz", "z"),
    (r"ty(?=[auo])", "ch"),
    (r"sy(?=[auo])", "sh"),
    (r"yu", "iu"),
)
# A word's spellings are each combination of the rules that apply: no more than this many.
MAX_SPELLINGS = 16


@lru_cache(maxsize=TOKEN_CACHE)
def latin_spellings(word: str) -> tuple[str, ...]:
    """The spelling folds of the Latin words a romanized Cyrillic word may transcribe
    (the rules of ``transcribed_readings`` reversed), other than its own fold; at most
    MAX_SPELLINGS, those of the rules listed first kept first."""
    if not word.isalpha() or not word.isascii():
        return ()
    spellings = [word]
    for pattern, replacement in _SPELLINGS:
        spellings += [pattern.sub(replacement, spelling) for spelling in spellings]
        spellings = list(dict.fromkeys(spellings))[: MAX_SPELLINGS + 1]
    own = spelling_fold(word)
    return tuple(dict.fromkeys(f for f in map(spelling_fold, spellings) if f != own))


@lru_cache(maxsize=TOKEN_CACHE)
def transcribed_readings(word: str) -> frozenset[str]:
    """The spelling folds of a Latin word as its Cyrillic transcription reads back, each
    other than the word's own fold; none for a word that is not Latin letters."""
    if not word.isalpha() or not word.isascii():
        return frozenset()
    readings = variants(word, _RULES)
    return frozenset(map(spelling_fold, readings)) - {spelling_fold(word)}


# How a Latin name's letters may sound in its own language, which is what another script
# writes: Spanish j as h (Jacinto) and ll as y (Padilla), German, Dutch and Slavic j as y
# (Joost, Jurek) and w as v (Wendt), the ch of German, Dutch and Hebrew names as kh
# (Dietrich), English th as s (Japanese and Korean have no th), German and Italian z as ts
# (Hebrew צ, Russian ц, Japanese ツ write it so; the skeleton's ts is also Japanese and
# Korean j, which is how they write a z: ジ, ㅈ), and English kn as n (Knight; the k has
# been silent since Early Modern English).
ALIAS_READINGS = (
    ("j", "h"),
    ("j", "y"),
    ("ll", "y"),
    ("w", "v"),
    ("ch", "kh"),
    ("th", "s"),
    ("z", "ts"),
    ("kn", "n"),
)


@lru_cache(maxsize=65536)
def alias_readings(alias: str) -> tuple[str, ...]:
    """The skeletons of a Latin word read each other way its letters may sound
    (ALIAS_READINGS), apart from its own."""
    own = skeleton(alias)
    found = dict.fromkeys(
        skeleton(alias.replace(written, sound))
        for written, sound in ALIAS_READINGS
        if written in alias
    )
    found.pop(own, None)
    return tuple(found)
