"""Names the table does not hold, beside mistyped names it does: how often an unknown name
is matched at a big table's size, by the shape of the match.

    python bench/fresh_names.py                       # 5x and 50x the dev gallery
    python bench/fresh_names.py --sizes 5 --names 500

The dev set's negatives are 762 names, each of a kind; in a table of tens of thousands an
unknown name is matched mostly through words it shares with a table name. Here the dev
gallery is padded with synthetic distractors as bench/scale_eval.py pads it, and two sets
of names are resolved through the app (``POST /v1/resolve``, default settings):

- unknown names: persons and organizations drawn by bench/distractors.py with another
  seed, none written like a name of the table (``scale_eval.homonym``);
- typos: one edit (bench/unseen.py) of a distractor's name or alias that one entity has.

A confident match of an unknown name is counted by its shape (from the answer's explain):

- ``part of a name``: the query's words are all the alias's, which has more ("Lucia Ferrer"
  for a "Lucia Ferrer Ibarra"), as the dev set's partial names are matched;
- ``more than a name``: the alias's words are all the query's, which has more;
- ``respelled``: the whole name, each word as written or spelled alike (Mohamed, Mohammed);
- ``a word only alike``: the whole name, a word of it one edit or fuzzily alike the alias's
  (Joan for John): a near neighbour's name, the error typo tolerance risks;
- ``other``.

The generated names are other entities than the table's, but no matcher can tell an
unknown "Lucia Ferrer" from a partial name of "Lucia Ferrer Ibarra": only the fourth shape
is wrong by every reading, the others are the price of matching the partial, longer and
respelled names the dev set's positives are. The typos' recall and that fourth rate are the
two sides of typo tolerance: a change that raises the one is to be weighed by the other.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from distractors import PREFIX, generate
from evaluation import DEV, load_jsonl
from flask.testing import FlaskClient
from scale_eval import homonym, pad, taken_names
from unseen import one_edit

from normalizer.web.app import create_app

BATCH = 250
SHAPES = ("part of a name", "more than a name", "respelled", "a word only alike", "other")
# Word pairs that write one word: as written, spelled alike, abbreviated, a number in words,
# written together.
_SPELLED = frozenset({"exact", "phonetic", "abbreviation", "number", "compound"})
_WHOLE = 0.999


def shape(explain: dict[str, Any]) -> str:
    """The shape of a match, from its candidate's ``explain``."""
    query_all = explain.get("query_coverage", 0.0) >= _WHOLE
    alias_all = explain.get("alias_coverage", 0.0) >= _WHOLE
    spelled = all(pair["how"] in _SPELLED for pair in explain.get("alignment", []))
    if query_all and alias_all:
        return "respelled" if spelled else "a word only alike"
    if query_all:
        return "part of a name"
    if alias_all:
        return "more than a name"
    return "other"


def unknown_names(table: Sequence[dict[str, Any]], count: int, seed: int) -> list[str]:
    """``count`` generated names that no name of ``table`` is written as."""
    taken = {homonym(name) for entity in table for name in [entity["name"], *entity["aliases"]]}
    names: dict[str, None] = {}
    for entity in generate(count * 4, seed):
        if homonym(entity["name"]) not in taken:
            names[entity["name"]] = None
        if len(names) == count:
            break
    return list(names)


def typos(table: Sequence[dict[str, Any]], count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` names one edit from a distractor's name that one entity has (each with
    that entity's id), none written like a name of the table."""
    owners: dict[str, set[str]] = {}
    for entity in table:
        for name in [entity["name"], *entity["aliases"]]:
            owners.setdefault(homonym(name), set()).add(entity["id"])
    distractors = [e for e in table if e["id"].startswith(PREFIX)]
    rng = random.Random(seed)
    made: dict[str, str] = {}
    for _ in range(count * 50):
        entity = rng.choice(distractors)
        source = rng.choice([entity["name"], *entity["aliases"]])
        edited = one_edit(source, rng) if len(owners[homonym(source)]) == 1 else None
        if edited and edited not in made and homonym(edited) not in owners:
            made[edited] = entity["id"]
        if len(made) == count:
            break
    return list(made.items())


def resolved(client: FlaskClient, names: Sequence[str]) -> Iterator[dict[str, Any]]:
    for start in range(0, len(names), BATCH):
        body = {"names": list(names[start : start + BATCH]), "explain": True}
        response = client.post("/v1/resolve", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)
        yield from response.get_json()["results"]


def one_size(
    gallery: list[dict[str, Any]], taken: set[str], size: int, args: argparse.Namespace
) -> None:
    with tempfile.TemporaryDirectory(prefix="fresh-names-") as folder:
        path = Path(folder) / f"gallery-{size}x.jsonl"
        entities, _dropped = pad(gallery, size, args.seed, taken, path)
        table = load_jsonl(path)
        unknown = unknown_names(table, args.names, args.names_seed)
        mistyped = typos(table, args.names, args.names_seed)
        client = create_app({"ALIASES": str(path), "REDIS_URL": ""}).test_client()
        shapes: Counter[str] = Counter()
        examples: list[str] = []
        for name, result in zip(unknown, resolved(client, unknown), strict=True):
            if result["match"] is not None:
                found = shape(result["match"].get("explain", {}))
                shapes[found] += 1
                if found == "a word only alike" and len(examples) < args.examples:
                    examples.append(f"{name!r} -> {result['match']['matched']!r}")
        answers = list(resolved(client, [name for name, _ in mistyped]))
        right = sum(
            a["match"] is not None and a["match"]["id"] == entity
            for (_, entity), a in zip(mistyped, answers, strict=True)
        )
        wrong = sum(
            a["match"] is not None and a["match"]["id"] != entity
            for (_, entity), a in zip(mistyped, answers, strict=True)
        )
    print(f"\n## {size}x the gallery: {entities:,} entities\n")
    print("| names | n | matched | of which |\n|---|--:|--:|---|")
    matched = sum(shapes.values())
    detail = ", ".join(f"{s} {shapes[s]} ({shapes[s] / len(unknown):.1%})" for s in SHAPES)
    print(f"| unknown | {len(unknown)} | {matched} ({matched / len(unknown):.1%}) | {detail} |")
    print(
        f"| typos of names it has | {len(mistyped)} | {right + wrong} "
        f"({(right + wrong) / len(mistyped):.1%}) | right {right} ({right / len(mistyped):.1%}), "
        f"wrong entity {wrong} ({wrong / len(mistyped):.1%}) |"
    )
    if examples:
        print("\nUnknown names matched with a word only alike: " + "; ".join(examples))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", default="5,50", help="multiples of the gallery")
    parser.add_argument("--names", type=int, default=2000, help="of each kind, each size")
    parser.add_argument("--seed", type=int, default=7, help="of the distractors")
    parser.add_argument("--names-seed", type=int, default=99, help="of the names asked")
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args()
    gallery = load_jsonl(DEV / "gallery.jsonl")
    taken = taken_names(gallery, load_jsonl(DEV / "queries.jsonl"))  # the same at every size
    print(
        f"# Unknown names and typos: {args.names} of each against the dev gallery padded "
        f"to {args.sizes.replace(',', 'x, ')}x (distractors of seed {args.seed}, names of "
        f"seed {args.names_seed})"
    )
    for size in map(int, args.sizes.split(",")):
        one_size(gallery, taken, size, args)


if __name__ == "__main__":
    main()
