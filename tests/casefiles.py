"""Test cases kept as data: headerless CSV files under tests/data/, one case a row."""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).parent / "data"


def cases(name: str) -> list[list[str]]:
    """Rows of a headerless CSV file under tests/data/ (blank lines skipped)."""
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle) if row]
