"""Annotation: every entity a text mentions, with exact offsets (see annotator.py)."""

from normalizer.annotate.annotator import Mention, annotate

__all__ = ["Mention", "annotate"]
