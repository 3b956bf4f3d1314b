"""Small alias tables for the Redis store's tests, written to files and compiled."""

from __future__ import annotations

import json
from pathlib import Path

from normalizer.service import build_table
from normalizer.store.redis.client import Client
from normalizer.table.compiler import CompiledTable

PREFIX = "test"
# Queries of the conftest table: exact, reordered, accents dropped, typos, acronyms,
# other scripts, an ambiguous alias, and names not in the table.
QUERIES = [
    "Marisol Quintana Arévalo",
    "QUINTANA AREVALO, Marisol",
    "Quintana Arévalo",
    "Tomek Wierzbicki",
    "Томаш Вежбицкий",
    "Khalid al Harbi",
    "Abu Muhammad",
    "Rio Azul Logistics",
    "Kestrel Shipping Co Ltd",
    "Banco Agricola de Honduras",
    "Republica de Honduras",
    "Nothern Basin Water Authorty",
    "FUTN",
    "Lempira",
    "Nobody At All",
]
# Two tables that hold the same names under different ids ("a-…" and "b-…").
PEOPLE = [
    "Marisol Quintana Arévalo",
    "Tomasz Wierzbicki",
    "Khalid Saeed al-Harbi",
    "Yusuf Abdelkarim Nasser",
    "Ernesto Quintana Arévalo",
    "Oksana Hrytsenko",
    "Joaquín Benavides Ortega",
    "Priya Raghunathan",
]


def table_of(tmp_path: Path, side: str, extra: int = 0) -> CompiledTable:
    """The PEOPLE as entities ``<side>-0``…, plus ``extra`` more (tables of two sizes)."""
    path = tmp_path / f"{side}.jsonl"
    names = PEOPLE + [f"Extra Person Number{n}" for n in range(extra)]
    lines = [
        json.dumps({"id": f"{side}-{n}", "name": name, "type": "person"})
        for n, name in enumerate(names)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return build_table(path)


def shared_names_table(tmp_path: Path) -> Path:
    """Twelve entities whose names share tokens, whole names and acronyms across runs."""
    people: list[dict[str, object]] = [
        {"id": f"p-{n}", "name": f"{given} {surname}", "type": "person"}
        for n, (given, surname) in enumerate(
            [("Ana", "Mendoza"), ("Luis", "Mendoza"), ("Ana", "Rivas"), ("Karim", "Haddad")]
        )
    ]
    people[0]["aliases"] = ["Abu Muhammad"]
    orgs = [
        {"id": f"o-{n}", "name": f"{word} Shipping Company", "type": "organization"}
        for n, word in enumerate(["Kestrel", "Kestrel Blue", "Harbour"])
    ]
    more = [
        {"id": "p-9", "name": "Karim Mendoza", "type": "person", "aliases": ["Abu Muhammad"]},
        {"id": "o-9", "name": "Kestrel Shipping Co", "type": "organization"},
        {"id": "p-10", "name": "Ana Mendoza", "type": "person"},  # the same name as p-0
        {"id": "p-11", "name": "Luis Haddad", "type": "person"},
        {"id": "o-10", "name": "Harbour Shipping Company", "type": "organization"},
    ]
    path = tmp_path / "shared.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in people + orgs + more), encoding="utf-8")
    return path


def registered(client: Client, prefix: str = PREFIX) -> set[str]:
    """The versions registered under ``prefix``."""
    return {
        v.decode() if isinstance(v, bytes) else v for v in client.hkeys(f"{{{prefix}}}:versions")
    }
