"""The compiled table: entities compiled into key -> postings, alias and entity records,
weighted by token rarity; compiled whole, or in shards that merge. Every store holds it."""

from normalizer.table.compiler import CompiledTable, compile_table

__all__ = ["CompiledTable", "compile_table"]
