"""The keys a query asks the store for in its first fetch, each with the places of the
query's words it comes from and how much sharing it says (relative to sharing the word
itself): its whole-name and acronym keys, each word's keys as written, respelled, read as
its script's language reads it, and two words' keys paired or joined.
"""

from __future__ import annotations

from normalizer.text.acronyms import query_acronym_keys
from normalizer.text.arabic import v_reading
from normalizer.text.hebrew import carried_first_vowels
from normalizer.text.keys import (
    nickname_keys,
    pair_keys,
    respelled_keys,
    token_keys,
    transcribed_skeleton_key,
    unwritten_r_keys,
)
from normalizer.text.normalize import Analysis
from normalizer.text.palladius import pinyin_names, pinyin_spellings
from normalizer.text.phonetics import ocr_readings, skeleton, spelling_fold
from normalizer.text.transcription import latin_spellings
from normalizer.text.translit import Script
from normalizer.text.whole_names import letter_runs, query_whole_keys, sounded_keys

# How much a shared key of each kind says, relative to sharing the token itself.
KEY_WEIGHTS = {"t": 1.0, "f": 0.9, "m": 0.6, "k": 0.6}
# A skeleton of a word from another script that an alias word has as its language reads it
# (``text.keys.reading_keys``) says what a skeleton shared as written does. Chosen on half
# A of the dev set (a typo key's weight, 0.5, tried too: the same answers at 5x and 50x).
READING_WEIGHT = KEY_WEIGHTS["k"]
# A pair key (``text.keys.pair_keys``) says for each of its two words three quarters of
# its rarity at a skeleton's weight. Half would be about what the two skeleton keys say
# were they rare enough to list every alias (a pair's rarity is about the sum of its
# words'); two words found together as they are written say more than two found apart,
# each by one of its sixty typo keys. Chosen on half A of the dev set at 50x (a half, three
# quarters and all tried: three quarters found five names from other scripts more; all
# of it the same five and a held-out alias, and lost a Korean name).
PAIR_WEIGHT = KEY_WEIGHTS["k"] * 0.75
TYPO_WEIGHT = 0.5
# A word from another script read with one vowel as another (or, from kana or Hangul, an r
# as an l: ``text.keys.respelled_keys``) says more than one of its typo keys does: its
# vowels are the transcription's least sure letters. Chosen on half A of the dev set (0.6
# and 0.9 tried: 0.6 found three names from kana more at 50x; 0.9 one at 5x, and at 50x
# three more and two fewer).
RESPELLED_WEIGHT = 0.6
# Scripts that write English names as spoken in Britain (text.keys.unwritten_r_keys).
_NON_RHOTIC = frozenset((Script.KANA, Script.HANGUL))
# Scripts of languages with one liquid, r and l alike (text.keys.respelled_keys).
_ONE_LIQUID = frozenset((Script.KANA, Script.HANGUL))

Keys = dict[str, list[tuple[int, float]]]


def query_keys(analysis: Analysis, transcribed: int) -> tuple[Keys, tuple[tuple[str, ...], ...]]:
    """Whole-name and acronym keys (of no one word), then the keys of each word and of each
    two adjacent words written as one; and each word's skeleton keys, as paired."""
    keys: Keys = {key: [] for key in query_whole_keys(analysis)}
    keys.update((key, []) for key in sounded_keys(analysis))
    if transcribed == Script.CYRILLIC:
        # A Chinese name in Cyrillic writes its pinyin syllable by syllable (Palladius): the
        # names it may write are whole names, as rare as the query's own whole-name key
        # (a common syllable's keys, "wang", list only some of their aliases).
        for name in pinyin_names(analysis.tokens):
            keys.setdefault("s:" + " ".join(sorted(name)), [])
    # Initials are Latin letters (match.pair_candidates): a name from another script is none.
    for acronym in () if transcribed else query_acronym_keys(analysis) or ():
        keys[acronym] = []
    skeletons: list[list[str]] = []  # each word's skeleton keys, for its pair keys
    # The table pairs the words of a name's core.
    in_core = set(core_positions(analysis))
    for position, token in enumerate(analysis.tokens):
        word_keys = _word_keys(token, transcribed)
        core = position in in_core
        skeletons.append([key for key in word_keys if key.startswith("k:")] if core else [])
        for key in word_keys:
            keys.setdefault(key, []).append((position, KEY_WEIGHTS[key[0]]))
        for key in nickname_keys(token):
            keys.setdefault(key, []).append((position, KEY_WEIGHTS["f"]))
        if not transcribed:
            # A scanned name's letters misread, two for one ("rn" for m): two edits, which
            # a typo's keys do not reach; weighed as a typo's.
            for reading in ocr_readings(token):
                for key in token_keys(reading):
                    keys.setdefault(key, []).append((position, TYPO_WEIGHT))
        if transcribed:
            # The Latin spellings Russian transcription writes so ("blek" is Black), and
            # the pinyin a Chinese name in Cyrillic writes ("tszin" is Jing).
            for spelling in (*latin_spellings(token), *pinyin_spellings(token)):
                keys.setdefault("f:" + spelling, []).append((position, KEY_WEIGHTS["f"]))
            # The alias words whose letters, read as their language reads them, this
            # word's skeleton writes (Hebrew ו and Arabic ف for a German w).
            for key in word_keys:
                if key.startswith("k:"):
                    keys.setdefault("v:" + key[2:], []).append((position, READING_WEIGHT))
            for key in respelled_keys(token, transcribed in _ONE_LIQUID):
                keys.setdefault(key, []).append((position, RESPELLED_WEIGHT))
        if transcribed == Script.ARABIC and (with_v := v_reading(token)):
            # The spellings of the word with its f as the v Arabic writes so, weighed as a
            # respelling's: a short word has no skeleton key, which would find it.
            for key in ("f:" + spelling_fold(with_v), *respelled_keys(with_v, False)):
                keys.setdefault(key, []).append((position, RESPELLED_WEIGHT))
        if transcribed == Script.HEBREW:
            # A first א that only carries the vowel after it: the word without it is as
            # much the word as ``translit``'s reading with an a.
            for reading in carried_first_vowels(token):
                for key in token_keys(reading):
                    keys.setdefault(key, []).append((position, KEY_WEIGHTS[key[0]]))
        if transcribed in _NON_RHOTIC:
            # Guessed letters, weighed as a typo's keys are: many words have one.
            guessed = unwritten_r_keys(token)
            for key in guessed:
                keys.setdefault(key, []).append((position, TYPO_WEIGHT))
            if core:
                skeletons[-1] += guessed
    # Two words' skeletons: what each word says, where its own keys are too common to
    # list every alias.
    for key, places in pair_keys(skeletons).items():
        keys.setdefault(key, []).extend((position, PAIR_WEIGHT) for position in places)
    # Two words the table writes as one ("Sohrab Zadeh" for Sohrabzadeh).
    tokens = analysis.tokens
    for position in range(len(tokens) - 1):
        joined = tokens[position] + tokens[position + 1]
        for key in token_keys(joined):
            keys.setdefault(key, []).append((position, KEY_WEIGHTS[key[0]]))
    # A word spelled out in single letters ("Q A V").
    for run in letter_runs(tokens):
        for key in token_keys("".join(tokens[i] for i in run)):
            keys.setdefault(key, []).append((run[0], KEY_WEIGHTS[key[0]]))
    return keys, tuple(tuple(word) for word in skeletons)


def core_positions(analysis: Analysis) -> list[int]:
    """The places of the words of ``Analysis.core``: every word when all are optional."""
    every_word = analysis.core is analysis.tokens
    return [i for i, optional in enumerate(analysis.optional) if every_word or not optional]


def _word_keys(token: str, transcribed: int) -> frozenset[str]:
    """A word's keys; a romanized word's skeleton key with its g read hard."""
    keys = token_keys(token)
    if transcribed and (hard := transcribed_skeleton_key(token)):
        return (keys - {"k:" + skeleton(token)}) | {hard}
    return keys
