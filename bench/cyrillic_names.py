"""Chinese and Russian names written in Cyrillic, and Russian names not in the table, against
the dev gallery padded with distractors.

    python bench/cyrillic_names.py [--sizes 5,50] [--names 300] [--misses]

The dev set has few Chinese names in Cyrillic and few Russian names. Here Faker's zh_CN
names are romanized by pypinyin (the table's names, "Zhao Hui") and written in Cyrillic by
pypinyin's Palladius style (the queries, "Чжао Хуэй"); Faker's ru_RU names are romanized
in the table by iuliia's Wikipedia, ICAO and Moscow Metro schemes in turn ("Yuliya
Strelkova", "Iuliia Strelkova") and asked as written in Cyrillic; other ru_RU names, none
of them a name of the table, are the negatives. The Chinese names with a soft sign are
also asked without it, as many writers spell them (Ян for Янь). The names join the dev
gallery padded to each size as scale_eval.py pads it (seed 13). Prints, per size, how many
Chinese and Russian names match their entity (and how many another), how many negatives
match anything, and how many of the other sex's forms of the table's Russian names (the
surname alone; the whole name where Faker's lists have the given name's other form, in
Cyrillic and romanized) match the name they were made from. None of it comes from the
benchmark's sources. To compare revisions, run it with ``PYTHONPATH`` of another's export.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

import iuliia
from evaluation import DEV, load_jsonl
from faker import Faker
from faker.providers.person.ru_RU import Provider as RussianNames
from pypinyin import lazy_pinyin
from pypinyin.style.cyrillic import converter
from scale_eval import homonym, pad, taken_names

from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore
from normalizer.text.translit import to_ascii

SEED = 13


def chinese_names(count: int, taken: set[str], seed: int) -> list[tuple[str, str]]:
    """(pinyin, Cyrillic) of ``count`` names of no one in ``taken`` nor twice."""
    faker, coin = Faker("zh_CN"), random.Random(seed)
    faker.seed_instance(seed)
    names: dict[str, tuple[str, str]] = {}
    while len(names) < count:
        given = faker.first_name_male() if coin.random() < 0.5 else faker.first_name_female()
        words = [lazy_pinyin(faker.last_name()), lazy_pinyin(given)]
        latin = " ".join("".join(syllables).capitalize() for syllables in words)
        cyrillic = " ".join(
            "".join(converter.to_cyrillic(s.replace("ü", "v")) for s in syllables).capitalize()
            for syllables in words
        )
        if (key := homonym(latin)) not in taken:
            names.setdefault(key, (latin, cyrillic))
    return list(names.values())


def russian_names(count: int, taken: set[str], seed: int) -> list[str]:
    """``count`` Russian names in Cyrillic, each of a man or a woman as a whole, of no one in
    ``taken`` nor twice."""
    faker = Faker("ru_RU")
    faker.seed_instance(seed)
    names: dict[str, str] = {}
    while len(names) < count:
        if len(names) % 2:
            name = f"{faker.first_name_female()} {faker.last_name_female()}"
        else:
            name = f"{faker.first_name_male()} {faker.last_name_male()}"
        if (key := homonym(to_ascii(name))) not in taken:
            names.setdefault(key, name)
    return list(names.values())


def other_sex_surname(surname: str) -> str | None:
    """A Russian surname in the other sex's form (Петров, Петрова; Жуковский, Жуковская), or
    None for one that has a single form (Шевченко) or is unsure (-ая: -ий or -ой)."""
    for masculine, feminine in (("ский", "ская"), ("цкий", "цкая")):
        if surname.endswith(masculine):
            return surname[: -len(masculine)] + feminine
        if surname.endswith(feminine):
            return surname[: -len(feminine)] + masculine
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith(("ова", "ева", "ёва", "ина", "ына")):
        return surname[:-1]
    return None


def other_sex(names: list[str]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The table's Russian names as their bearer's relatives of the other sex would be
    written: the surname alone (Петрова for a Петров), and the whole name where the given
    name has the other sex's form in Faker's lists (Александра Петрова for an Александр
    Петров); each with the place of the name it was made from. A sister or a wife is not
    the man: a match to the name it was made from is wrong (another entity of that surname
    and sex may be right). The script also asks the whole names romanized."""
    male, female = set(RussianNames.first_names_male), set(RussianNames.first_names_female)
    surnames: list[tuple[int, str]] = []
    whole: list[tuple[int, str]] = []
    for place, name in enumerate(names):
        given, surname = name.split(" ")
        if (other := other_sex_surname(surname)) is None:
            continue
        surnames.append((place, other))
        if given in male and given + "а" in female:
            whole.append((place, f"{given}а {other}"))
        elif given.endswith("а") and given in female and given[:-1] in male:
            whole.append((place, f"{given[:-1]} {other}"))
    return surnames, whole


def romanized(names: list[str]) -> list[tuple[str, str]]:
    """(the table's romanization, Cyrillic) of each name, by three schemes in turn."""
    schemes = (iuliia.WIKIPEDIA, iuliia.ICAO_DOC_9303, iuliia.MOSMETRO)
    return [(schemes[i % 3].translate(name), name) for i, name in enumerate(names)]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", default="5,50")
    parser.add_argument("--names", type=int, default=300)
    parser.add_argument("--misses", action="store_true", help="print each name missed")
    args = parser.parse_args()
    gallery = load_jsonl(DEV / "gallery.jsonl")
    taken = taken_names(gallery, load_jsonl(DEV / "queries.jsonl"))
    chinese = chinese_names(args.names, taken, SEED)
    taken |= {homonym(latin) for latin, _ in chinese}
    russian_both = russian_names(2 * args.names, taken, SEED)
    russian = romanized(russian_both[: args.names])
    negatives = russian_both[args.names :]
    taken |= {homonym(to_ascii(name)) for name in russian_both}
    taken |= {homonym(latin) for latin, _ in russian}
    for size in map(int, args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "gallery.jsonl"
            pad(gallery, size, SEED, taken, path)
            with path.open("a", encoding="utf-8") as lines:
                for kind, names in (("chinese", chinese), ("russian", russian)):
                    for i, (latin, _) in enumerate(names):
                        entity = {"id": f"{kind}-{i}", "name": latin, "type": "person"}
                        lines.write(json.dumps(entity) + "\n")
            store = MemoryStore()
            store.publish(build_table(path))
        matcher = Matcher(store)
        found = []
        for kind, names in (("Chinese", chinese), ("Russian", russian)):
            right = wrong = 0
            for i, (latin, cyrillic) in enumerate(names):
                match = matcher.resolve(cyrillic).match
                expected = f"{kind.lower()}-{i}"
                right += match is not None and match.id == expected
                wrong += match is not None and match.id != expected
                if args.misses and (match is None or match.id != expected):
                    print(f"  missed {cyrillic} ({latin}): {match and match.name}")
            found.append(f"{kind} {right} of {len(names)} (another entity {wrong})")
        # Many writers leave a Chinese name's soft sign out (Янь as Ян): the same names so.
        right = wrong = 0
        unsoftened = [(i, c.replace("ь", "")) for i, (_, c) in enumerate(chinese) if "ь" in c]
        for i, cyrillic in unsoftened:
            match = matcher.resolve(cyrillic).match
            right += match is not None and match.id == f"chinese-{i}"
            wrong += match is not None and match.id != f"chinese-{i}"
        found.append(
            f"Chinese without soft signs {right} of {len(unsoftened)} (another entity {wrong})"
        )
        false = 0
        for name in negatives:
            if (match := matcher.resolve(name).match) is not None:
                false += 1
                if args.misses:
                    print(f"  matched {name}: {match.name} {match.score:.3f}")
        relatives = []
        surnames, whole = other_sex(russian_both[: args.names])
        in_latin = [(place, iuliia.WIKIPEDIA.translate(name)) for place, name in whole]
        for kind, asked in (
            ("surnames alone", surnames),
            ("whole names", whole),
            ("whole names in Latin", in_latin),
        ):
            named = 0
            for place, name in asked:
                match = matcher.resolve(name).match
                if match is not None and match.id == f"russian-{place}":
                    named += 1
                    if args.misses:
                        print(f"  matched the other sex's {name}: {match.name} {match.score:.3f}")
            relatives.append(f"{kind} {named} of {len(asked)}")
        print(
            f"{size}x: names in Cyrillic matched: {'; '.join(found)}; Russian names not in "
            f"the table matched {false} of {len(negatives)}; the other sex's forms of the "
            f"table's Russian names matched to them: {', '.join(relatives)}"
        )


if __name__ == "__main__":
    main()
