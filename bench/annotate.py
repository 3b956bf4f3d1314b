"""Annotating prose with gallery names in it: found with exact offsets, false mentions, speed.

    python bench/annotate.py [--size 56600] [--names 400] [--speed-sizes 10000,1000000]
                             [--calls 1]

The table is the dev gallery (bench/data/dev/gallery.jsonl) padded with distractors
(bench/distractors.py, as bench/scale_eval.py does) to ``--size`` entities (50x the gallery
by default). The text is filler prose (FILLER below: sentences written for this benchmark,
no names in them) with ``--names`` gallery names or aliases embedded, each in a sentence of
its own, written as a newspaper would (an all-capitals list name in title case). A name is
found when a mention has exactly its offsets and one of the entities that own it.

Prints: names found (target >= 95%), false mentions (mentions outside every embedded name)
per 10 KB of filler (target <= 1), and annotation speed in KB/s beside a plain
``str.lower()`` of the same text in the same run (target >= 1 MB/s a worker at 10k
entities). ``--speed-sizes`` also times the same text against tables of those sizes (the
target: no more than 2x slower at 1M than at 10k; 1M takes minutes and GBs to compile).
With ``--calls N`` the speed is the median of N
annotations of the text, in processor time: the figure to compare two versions by turns.
The speed column is without the service's cache of finished answers (``Matcher(store)``);
the next is a second text (other names, the same filler sentences) annotated without it
and, after the first text, with the cache on, as a worker of the service does: the
filler's capitalized phrases recur there more than in real prose, so it is a bound, not the
target's figure.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from evaluation import load_jsonl  # bench/ is on sys.path: it holds this script
from scale_eval import pad, taken_names

from normalizer.annotate import annotate
from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.settings import Settings
from normalizer.store.memory import MemoryStore

DATA = Path(__file__).resolve().parent / "data" / "dev"
SEED = 5
# Generic news prose with no proper names: where a tagger must find nothing. Capitalized
# common words ("Army", "National", "President") are here on purpose.
FILLER = [
    "Officials said the talks would continue next week.",
    "The committee met on Tuesday to review the budget for the coming year.",
    "Prices rose sharply in the first quarter, according to the latest figures.",
    "Several witnesses described a loud noise shortly after midnight.",
    "The Army said its units had returned to their barracks.",
    "A spokesman for the National Police declined to comment on the case.",
    "The President is expected to sign the bill before the end of the month.",
    "Farmers in the region have complained about the lack of rain.",
    "The company reported higher profits but warned of a difficult winter.",
    "Schools will reopen on Monday after the holiday.",
    "Local residents gathered outside the town hall in the evening.",
    "The report found that most of the funds had never reached the hospitals.",
    "Investigators are still trying to establish the cause of the fire.",
    "The new bridge will shorten the journey between the two towns.",
    "Trade between the two countries fell for the third year in a row.",
    "The Ministry of Finance published its annual review on Friday.",
    "Analysts expect the central bank to keep interest rates unchanged.",
    "The court adjourned the hearing until the end of the month.",
    "Heavy traffic delayed buses across the city on Thursday morning.",
    "The union called on its members to return to work.",
    "Thousands of people took part in the march through the capital.",
    "The ship left port early on Sunday with a cargo of grain.",
    "Doctors warned that the number of cases could rise again in spring.",
    "The General Assembly will vote on the resolution next week.",
    # Capitals inside sentences that are no entity: days, months, titles, institutions.
    "On Wednesday the Finance Minister said the Treasury would borrow less in March.",
    "The Supreme Court ruled in January that the Prime Minister had acted lawfully.",
    "A Senior Official at the Interior Ministry confirmed the figures on Monday.",
    "The Central Bank Governor will testify before the Parliament in October.",
    "Members of the Board of Directors approved the merger in principle.",
    "The Chief Executive Officer resigned after the Annual General Meeting.",
    "In December the Attorney General opened an inquiry into the Customs Service.",
    "The Red Cross and the Coast Guard searched the area until Saturday night.",
    "The Defence Ministry said the Navy and the Air Force had finished their exercises.",
    "A Deputy Mayor told the City Council that the budget was balanced.",
    "Shares of the Export Credit Agency's partners fell by five percent in April.",
    "The National Security Council met on Friday to discuss the border.",
    "The Foreign Ministry summoned the Ambassador on Sunday afternoon.",
    "The Electoral Commission will publish the final results in November.",
    "Police Commissioner and Fire Chief visited the Civil Defence headquarters.",
    "The Health Department reported fewer cases in February than in January.",
]
CARRIERS = [
    "Reporters later asked about {name} during the briefing.",
    "Documents seen by this newspaper mention {name} several times.",
    "{name} did not respond to a request for comment.",
    "The statement named {name} among those involved.",
]


def as_printed(name: str) -> str:
    """An all-capitals list name as a newspaper writes it: each word capitalized."""
    if not name.isupper():
        return name
    return " ".join(word[:1] + word[1:].lower() for word in name.split(" "))


def article(
    gallery: list[dict[str, Any]], count: int, seed: int = SEED
) -> tuple[str, list[tuple[int, int, set[str]]]]:
    """Filler with ``count`` gallery names embedded; each name's offsets and owners."""
    owners: dict[str, set[str]] = {}
    for entity in gallery:
        for name in [entity["name"], *entity["aliases"]]:
            owners.setdefault(as_printed(name), set()).add(entity["id"])
    rng = random.Random(seed)
    names = rng.sample(sorted(owners), count)
    text, placed = "", []
    for name in names:
        text += " ".join(rng.sample(FILLER, rng.randint(2, 4))) + " "
        carrier = rng.choice(CARRIERS)
        start = len(text) + carrier.index("{name}")
        text += carrier.format(name=name) + "\n"
        placed.append((start, start + len(name), owners[name]))
    text += " ".join(rng.sample(FILLER, 3)) + "\n"
    return text, placed


def score(matcher: Matcher, text: str, placed: list[tuple[int, int, set[str]]]) -> dict[str, float]:
    mentions = annotate(matcher, text)
    exact = {(m.start, m.end): m.match.id for m in mentions}
    found = sum(exact.get((start, end)) in ids for start, end, ids in placed)
    outside = [
        m for m in mentions if not any(m.start < end and start < m.end for start, end, _ in placed)
    ]
    filler = len(text) - sum(end - start for start, end, _ in placed)
    return {"found": found / len(placed), "false_per_10kb": len(outside) / (filler / 10_000)}


def speed(matcher: Matcher, text: str, calls: int = 1) -> tuple[float, float]:
    """KB/s of annotate and of str.lower() over ``text``, in this run; of several
    ``calls``, the median's, in processor time (steadier than the clock on a shared
    machine)."""
    clock = time.process_time if calls > 1 else time.perf_counter
    times = []
    for _ in range(calls):
        started = clock()
        annotate(matcher, text)
        times.append(clock() - started)
    annotating = statistics.median(times)
    started = time.perf_counter()
    for _ in range(100):
        text.lower()
    lowering = (time.perf_counter() - started) / 100
    kb = len(text.encode("utf-8")) / 1000
    return kb / annotating, kb / lowering


def speed_with_answers(matcher: Matcher, text: str, second: str) -> tuple[float, float]:
    """KB/s of annotating ``second`` (other names, the same filler) after ``text`` with the
    service's cache of finished answers (the filler's phrases recur, as a newsroom's do),
    then without it (its word caches warmed by the first: the order favours it)."""
    kb = len(second.encode("utf-8")) / 1000
    cached = Matcher(matcher.store, answer_cache=Settings.answer_cache)
    annotate(cached, text)
    started = time.perf_counter()
    annotate(cached, second)
    with_answers = kb / (time.perf_counter() - started)
    started = time.perf_counter()
    annotate(matcher, second)
    return kb / (time.perf_counter() - started), with_answers


def matcher_of(
    gallery: list[dict[str, Any]], size: int, taken: set[str], folder: Path
) -> tuple[Matcher, int]:
    """The gallery padded to about ``size`` entities (a whole multiple of the gallery's),
    in the embedded store; and how many entities it has."""
    path = folder / f"table-{size}.jsonl"
    entities, _ = pad(gallery, max(1, round(size / len(gallery))), 7, taken, path)
    store = MemoryStore()
    store.publish(build_table(path))
    gc.collect()  # what compiling left behind, before the rest is frozen
    gc.freeze()  # as Service.start does: full collections would rescan the table
    return Matcher(store), entities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=56_600)
    parser.add_argument("--names", type=int, default=400)
    parser.add_argument("--speed-sizes", default="")
    parser.add_argument(
        "--calls", type=int, default=1, help="annotate the text this many times for its speed"
    )
    args = parser.parse_args()
    gallery = load_jsonl(DATA / "gallery.jsonl")
    taken = taken_names(gallery, load_jsonl(DATA / "queries.jsonl"))
    text, placed = article(gallery, args.names)
    second, _ = article(gallery, args.names, SEED + 1)
    print(f"text: {len(text.encode('utf-8')):,} bytes, {len(placed)} names embedded")
    with tempfile.TemporaryDirectory() as folder:
        matcher, entities = matcher_of(gallery, args.size, taken, Path(folder))
        found = score(matcher, text, placed)
        rate, lower = speed(matcher, text, args.calls)
        cold, warm = speed_with_answers(matcher, text, second)
        print("| table | names found | false mentions / 10 KB filler | annotate KB/s", end="")
        print(" | a second text: without / with the answer cache | str.lower() KB/s |")
        print("|---|--:|--:|--:|--:|--:|")
        print(
            f"| {entities:,} entities | {found['found']:.1%} | {found['false_per_10kb']:.2f} "
            f"| {rate:,.1f} | {cold:,.1f} / {warm:,.1f} | {lower:,.0f} |"
        )
        for size in [int(s) for s in args.speed_sizes.split(",") if s]:
            other, entities = matcher_of(gallery, size, taken, Path(folder))
            rate, lower = speed(other, text, args.calls)
            cold, warm = speed_with_answers(other, text, second)
            print(
                f"| {entities:,} entities (speed only) | | | {rate:,.1f} "
                f"| {cold:,.1f} / {warm:,.1f} | {lower:,.0f} |"
            )
    print(
        "targets: names found >= 95%, <= 1 false mention / 10 KB, >= 1,000 KB/s at 10k, "
        "1M no more than 2x slower than 10k"
    )


if __name__ == "__main__":
    main()
