"""The curated alias table: its data model, the YAML and JSON Lines readers, validation to
the line, and collisions between entities."""

from normalizer.aliases.load import load_path
from normalizer.aliases.model import PERSON_TYPES, Alias, Entity

__all__ = ["PERSON_TYPES", "Alias", "Entity", "load_path"]
