"""Chinese names written in Cyrillic, and Russian names not in the table, against the dev
gallery padded with distractors.

    python bench/cyrillic_names.py [--sizes 5,50] [--names 300] [--misses]

The dev set has few Chinese names in Cyrillic. Here Faker's zh_CN names are romanized by
pypinyin (the table's names, "Zhao Hui") and written in Cyrillic by pypinyin's Palladius
style (the queries, "Чжао Хуэй"), and added to the dev gallery padded to each size as
scale_eval.py pads it (seed 13); Faker's ru_RU names in Cyrillic, none of them a name of
the table, are the negatives. Prints, per size, how many Chinese names match their entity
(and how many another), and how many Russian names match anything. None of it comes from
the benchmark's sources. To compare revisions, run it with ``PYTHONPATH`` of another's
export.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

from evaluation import DEV, load_jsonl
from faker import Faker
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
    faker = Faker("ru_RU")
    faker.seed_instance(seed)
    names: list[str] = []
    while len(names) < count:
        name = f"{faker.first_name()} {faker.last_name()}"
        if homonym(to_ascii(name)) not in taken:
            names.append(name)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", default="5,50")
    parser.add_argument("--names", type=int, default=300)
    parser.add_argument("--misses", action="store_true", help="print each name missed")
    args = parser.parse_args()
    gallery = load_jsonl(DEV / "gallery.jsonl")
    taken = taken_names(gallery, load_jsonl(DEV / "queries.jsonl"))
    chinese = chinese_names(args.names, taken, SEED)
    russian = russian_names(args.names, taken, SEED)
    taken |= {homonym(latin) for latin, _ in chinese} | {homonym(to_ascii(n)) for n in russian}
    for size in map(int, args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "gallery.jsonl"
            pad(gallery, size, SEED, taken, path)
            with path.open("a", encoding="utf-8") as lines:
                for i, (latin, _) in enumerate(chinese):
                    entity = {"id": f"chinese-{i}", "name": latin, "type": "person"}
                    lines.write(json.dumps(entity) + "\n")
            store = MemoryStore()
            store.publish(build_table(path))
        matcher = Matcher(store)
        right = wrong = false = 0
        for i, (latin, cyrillic) in enumerate(chinese):
            match = matcher.resolve(cyrillic).match
            right += match is not None and match.id == f"chinese-{i}"
            wrong += match is not None and match.id != f"chinese-{i}"
            if args.misses and (match is None or match.id != f"chinese-{i}"):
                print(f"  missed {cyrillic} ({latin}): {match and match.name}")
        for name in russian:
            if (match := matcher.resolve(name).match) is not None:
                false += 1
                if args.misses:
                    print(f"  matched {name}: {match.name} {match.score:.3f}")
        print(
            f"{size}x: Chinese names in Cyrillic matched {right} of {len(chinese)} "
            f"(another entity {wrong}); Russian names not in the table matched {false} "
            f"of {len(russian)}"
        )


if __name__ == "__main__":
    main()
