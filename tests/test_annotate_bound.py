"""The bound that leaves a window unaligned (annotate.mentions.may_mention) is exact: every
window of the test articles against the bundled table, and of the benchmark's prose against
the dev gallery, makes the same mention with the bound as without it, or none either way;
and the bound does leave windows unaligned. A kept answer to the narrowed question is never
given to a full one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from normalizer.annotate.mentions import makes_mention, may_mention
from normalizer.annotate.windows import known_words, windows
from normalizer.annotate.words import runs
from normalizer.match.matcher import Matcher
from normalizer.service import build_table
from normalizer.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ARTICLES = [
    ROOT / "seeds" / "000_41e59cf11848cc8f.txt",
    ROOT / "tests" / "data" / "articles" / "es_detencion.txt",
    ROOT / "tests" / "data" / "articles" / "mixed_scripts.txt",
]


def matcher_of(path: Path, answer_cache: int = 0) -> Matcher:
    store = MemoryStore()
    store.publish(build_table(path))
    return Matcher(store, answer_cache=answer_cache)


def window_names(matcher: Matcher, text: str) -> list[str]:
    """Every window of ``text`` as written, each once, as the annotator finds them."""
    word_runs = runs(text)
    known = known_words(matcher.store.view(), {w.written for run in word_runs for w in run})
    found = windows(text, word_runs, known, cased=True)
    spans = [(word_runs[w.run][w.first].start, word_runs[w.run][w.last].end) for w in found]
    return list(dict.fromkeys(text[start:end] for start, end in spans))


def bench_prose() -> tuple[Path, str]:
    """The benchmark's filler prose with names of the dev gallery in it, and the gallery."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # its scripts import each other by name
    bench = pytest.importorskip("annotate", reason="bench dependencies (.[dev]) missing")
    evaluation = pytest.importorskip("evaluation")
    gallery = BENCH / "data" / "dev" / "gallery.jsonl"
    text, _ = bench.article(evaluation.load_jsonl(gallery), 80)
    return gallery, str(text)


def assert_the_same_mentions(matcher: Matcher, names: list[str]) -> int:
    """Asserts every name makes the same mention, or none, with the bound and without it;
    returns how many the bound left unaligned."""
    full = matcher.resolve_many(names, None, 1)
    bounded = matcher.resolve_many(names, None, 1, worth=may_mention)
    unaligned = 0
    for name, every, fewer in zip(names, full, bounded, strict=True):
        assert makes_mention(name, fewer) == makes_mention(name, every), name
        if makes_mention(name, every):
            assert fewer.match is not None and every.match is not None
            assert (fewer.match.id, fewer.match.score) == (every.match.id, every.match.score)
        if every.candidates and not fewer.candidates:
            unaligned += 1
            assert not makes_mention(name, every), name
    return unaligned


def test_the_articles_make_the_same_mentions_with_the_bound() -> None:
    matcher = matcher_of(ROOT / "aliases")
    names = [n for a in ARTICLES for n in window_names(matcher, a.read_text(encoding="utf-8"))]
    unaligned = assert_the_same_mentions(matcher, list(dict.fromkeys(names)))
    assert unaligned >= len(names) // 4


def test_the_benchmarks_prose_makes_the_same_mentions_with_the_bound() -> None:
    gallery, text = bench_prose()
    matcher = matcher_of(gallery)
    names = window_names(matcher, text)
    unaligned = assert_the_same_mentions(matcher, names)
    assert unaligned >= len(names) // 4


def test_an_answer_kept_for_the_bound_is_not_a_full_answer() -> None:
    gallery, text = bench_prose()
    plain = matcher_of(gallery)
    names = window_names(plain, text)
    full = plain.resolve_many(names, None, 1)
    bounded = plain.resolve_many(names, None, 1, worth=may_mention)
    name = next(
        n
        for n, a, b in zip(names, full, bounded, strict=True)
        if len(a.candidates) > len(b.candidates)
    )
    cached = matcher_of(gallery, answer_cache=1 << 20)
    assert cached.resolve_many([name], None, 1, worth=may_mention)[0].candidates == ()
    assert cached.resolve_many([name], None, 1)[0].candidates != ()
    assert cached.resolve_many([name], None, 1, worth=may_mention)[0].candidates == ()
    assert cached.answers is not None and cached.answers.hits == 1
