"""normalizer: resolve the many written forms of a name to one canonical entity.

A curated alias table (YAML or JSON Lines files) is validated and compiled into key indexes
(normalized, token-sorted, phonetic, acronym, typo neighbourhoods). A lookup fetches the keys
its query produces, scores the candidates token by token and answers with a match only when
one entity is clearly best. The compiled table lives behind one store interface: in process
by default, or in Redis shared by every worker.

As a library::

    from normalizer import Matcher, MemoryStore, compile_table, load_path

    store = MemoryStore()
    store.publish(compile_table(load_path("aliases/")))
    print(Matcher(store).resolve("El Mencho").match)
"""

from normalizer.aliases import Entity, load_path
from normalizer.match.matcher import Matcher
from normalizer.match.results import Resolution
from normalizer.settings import Settings
from normalizer.store.memory import MemoryStore
from normalizer.table.compiler import CompiledTable, compile_table
from normalizer.text.normalize import analyze, fold

__all__ = [
    "CompiledTable",
    "Entity",
    "Matcher",
    "MemoryStore",
    "Resolution",
    "Settings",
    "analyze",
    "compile_table",
    "fold",
    "load_path",
]
