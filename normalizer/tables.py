"""Word tables shipped with the package (honorifics, legal forms, stopwords).

They are YAML data files under ``normalizer/data/`` so curators can extend them without code;
each is read once and cached.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

_DATA_DIR = Path(__file__).parent / "data"


def _read(name: str) -> dict[str, list[str]]:
    text = (_DATA_DIR / name).read_text(encoding="utf-8")
    data: dict[str, list[str]] = yaml.safe_load(text)
    return data


@cache
def honorifics() -> frozenset[str]:
    return frozenset(_read("honorifics.yml")["honorifics"])


@cache
def leading_articles() -> frozenset[str]:
    return frozenset(_read("honorifics.yml")["leading_articles"])


@cache
def stopwords() -> frozenset[str]:
    return frozenset(_read("stopwords.yml")["stopwords"])


@cache
def particles() -> frozenset[str]:
    return frozenset(_read("stopwords.yml")["particles"])


@cache
def leading_legal_forms() -> frozenset[tuple[str, ...]]:
    """One-word legal forms that are written before the name, as in Russian usage."""
    return frozenset((form,) for form in _read("legal_forms.yml")["leading"])


@cache
def legal_forms() -> tuple[tuple[str, ...], ...]:
    """Legal forms as token tuples, longest first so "sa de cv" wins over "sa"."""
    forms = {tuple(form.split()) for form in _read("legal_forms.yml")["legal_forms"]}
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))
