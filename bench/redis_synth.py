"""A synthetic alias table of N entities, for load-time and memory benchmarks.

    python bench/redis_synth.py 100000 > /tmp/synth.jsonl

People and organizations get multi-token names from built-in word lists and from coined
words (syllable combinations, drawn Zipf-like so a few are common and most are rare, as
surnames are), plus aliases as curated tables have them: reordered "SURNAME, Given",
initials, respellings, acronyms, names without the legal form. Deterministic per seed.
Nothing comes from real data; the output is not committed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from collections.abc import Iterator
from typing import Any

GIVEN = (
    "ahmad ali amina anna boris carlos chen daniel david dmitri elena fatima farid hassan "
    "hana ibrahim igor ivan jamal jose juan karim khalid lara layla li luis maria mariam "
    "mehmet mikhail mohammad mustafa nadia natalia nikolai olga omar pavel pedro rashid sara "
    "sergei sofia tariq usman vera viktor wei yusuf yuri zainab zhang abdul rahman kim park "
    "hiroshi yuki aisha bilal emre fernando gustavo hamid irina jorge kemal lucia miguel "
    "noor oleg rafael samir tatiana vladimir walid xavier yasmin zoran"
).split()
SURNAMES = (
    "smith garcia ivanov petrov hussein rahman khan nguyen wang kim lee popescu kowalski "
    "mueller rossi silva santos haddad mansour sokolov volkov morozov hernandez lopez gonzalez "
    "perez sanchez ramirez torres flores rivera gomez diaz reyes cruz ortiz moreno jimenez "
    "romero alvarez mendoza castillo vargas guzman salazar aguilar herrera medina chavez "
    "yilmaz kaya demir sahin celik ozturk aydin arslan dogan kilic tanaka suzuki sato "
    "takahashi watanabe ito yamamoto nakamura kobayashi kato abbasi ahmadi hosseini karimi"
).split()
PARTICLES = ("al", "bin", "de", "van", "el", "ibn", "da", "von")
ORG_WORDS = (
    "shipping trading energy petroleum metals logistics holding investment finance bank "
    "industrial chemical engineering construction maritime aviation mining textile "
    "electronics pharmaceutical agricultural import export development general technical "
    "international national global united eastern western northern southern pacific "
    "atlantic golden star crescent alliance capital resources systems solutions"
).split()
ORG_KINDS = ("company", "group", "corporation", "enterprises", "industries", "partners")
LEGAL_FORMS = ("LLC", "Ltd", "S.A.", "GmbH", "JSC", "Co.", "S.A. de C.V.", "PLC", "")
ONSETS = "b c d f g h j k l m n p r s t v z kh sh ch br tr st gr".split()
VOWELS = "a e i o u a e i o ai ou".split()
CODAS = ["", "", "", "n", "r", "l", "s", "k", "m", "t", "v", "sh"]
RESPELLINGS = (("ou", "u"), ("y", "i"), ("ph", "f"), ("kh", "h"), ("ee", "i"), ("v", "w"))


def coined_words(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct pronounceable words of two to four syllables."""
    words: dict[str, None] = {}
    while len(words) < count:
        syllables = rng.choice((2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        words.setdefault(word, None)
    return list(words)


class Vocabulary:
    """Word pools, each drawn with Zipf-like weights (rank r has weight 1/r)."""

    def __init__(self, entities: int, rng: random.Random) -> None:
        self.rng = rng
        coined = coined_words(max(1000, entities // 3), rng)
        self.given = list(GIVEN) + coined[: len(coined) // 4]
        self.surnames = list(SURNAMES) + coined[len(coined) // 4 :]
        self._weights = {
            id(pool): list(itertools.accumulate(1 / rank for rank in range(1, len(pool) + 1)))
            for pool in (self.given, self.surnames)
        }

    def draw(self, pool: list[str]) -> str:
        return self.rng.choices(pool, cum_weights=self._weights[id(pool)])[0]


def _title(words: list[str]) -> str:
    return " ".join(w if w.isupper() or "." in w else w.capitalize() for w in words)


def _respell(word: str, rng: random.Random) -> str:
    for old, new in rng.sample(RESPELLINGS, len(RESPELLINGS)):
        if old in word:
            return word.replace(old, new, 1)
    return word + rng.choice("aeh")


def person(vocab: Vocabulary) -> tuple[str, list[str]]:
    rng = vocab.rng
    given = [vocab.draw(vocab.given) for _ in range(rng.choice((1, 1, 2)))]
    family = [vocab.draw(vocab.surnames)]
    if rng.random() < 0.15:
        family.insert(0, rng.choice(PARTICLES))
    if rng.random() < 0.25:
        family.append(vocab.draw(vocab.surnames))
    name = _title(given + family)
    aliases = []
    if rng.random() < 0.5:
        aliases.append(f"{' '.join(family).upper()}, {_title(given)}")
    if rng.random() < 0.3:
        aliases.append(_title([given[0][0] + "."] + family))
    if rng.random() < 0.4:
        aliases.append(_title([_respell(given[0], rng)] + given[1:] + family))
    if rng.random() < 0.2:
        aliases.append(_title([vocab.draw(vocab.given)] + family))
    return name, aliases


def organization(vocab: Vocabulary) -> tuple[str, list[str]]:
    rng = vocab.rng
    head = [vocab.draw(vocab.surnames)] if rng.random() < 0.6 else []
    words = head + rng.sample(ORG_WORDS, rng.choice((1, 2, 3))) + [rng.choice(ORG_KINDS)]
    form = rng.choice(LEGAL_FORMS)
    name = _title(words) + (f" {form}" if form else "")
    aliases = []
    if len(words) >= 2 and rng.random() < 0.5:
        aliases.append("".join(w[0] for w in words).upper())
    if form and rng.random() < 0.5:
        aliases.append(_title(words))
    if rng.random() < 0.2:
        aliases.append(_title(words[:-1] + [rng.choice(ORG_KINDS)]))
    return name, aliases


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")


def entities(count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """``count`` entity records in the alias-file JSONL shape."""
    rng = random.Random(seed)
    vocab = Vocabulary(count, rng)
    for number in range(count):
        is_person = rng.random() < 0.6
        name, aliases = person(vocab) if is_person else organization(vocab)
        aliases = [a for a in dict.fromkeys(aliases) if a != name and len(a.strip()) >= 2]
        yield {
            "id": f"{_slug(name) or 'x'}-{number}",
            "name": name,
            "type": "person" if is_person else "organization",
            "aliases": aliases,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for record in entities(args.count, args.seed):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
