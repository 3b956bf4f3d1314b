"""The acronym keys of organization names (``a:`` in the usual style, ``b:`` in others; see
text.keys), and those a one-word query may be."""

from __future__ import annotations

from normalizer.text import tables
from normalizer.text.normalize import Analysis

ACRONYM_LENGTHS = range(2, 11)


def acronym_keys(analysis: Analysis, hyphen_words: list[list[str]]) -> set[str]:
    """Acronyms of an organization name.

    ``hyphen_words`` groups tokens by written word ("Al-Haq" is one word of two tokens).
    Usage varies, so acronyms are taken by written word, by token, and by word without its
    article ("Asa'ib Ahl al-Haq": AAA, AAAH, AAH), each with and without function words
    and legal forms.
    """
    stop = tables.stopwords()
    legal_words = tables.legal_form_words()
    optional = {
        t
        for t, opt in zip(analysis.tokens, analysis.optional, strict=True)
        if opt and t in legal_words
    }
    particles = tables.particles()
    groupings = [hyphen_words]
    if any(len(word) > 1 for word in hyphen_words):
        by_token = [[t] for word in hyphen_words for t in word]
        no_article = [[t for t in word if t not in particles] or word for word in hyphen_words]
        groupings += [by_token, no_article]
    variants: dict[str, bool] = {}  # acronym -> the usual style made it
    for groups in groupings:
        usual_style = groups is hyphen_words
        # Each word once: its initial, and whether it is a function word or a legal form.
        words = [
            (group[0][0], group[0] in stop, group[0] in optional)
            if len(group) == 1
            else (group[0][0], False, all(t in optional for t in group))
            for group in groups
            if group
        ]
        skips = [(True, True)]
        if any(is_stop for _, is_stop, _ in words):
            skips.append((False, True))
        if any(is_legal for _, _, is_legal in words):
            skips += [(skip_stop, False) for skip_stop, _ in skips]
        for skip_stop, skip_legal in skips:
            acronym = "".join(
                [
                    initial
                    for initial, is_stop, is_legal in words
                    if not (skip_stop and is_stop) and not (skip_legal and is_legal)
                ]
            )
            if len(acronym) in ACRONYM_LENGTHS:
                usual = usual_style and skip_stop and skip_legal
                variants[acronym] = variants.get(acronym, False) or usual
    # The usual style (one letter a written word, no function words or legal form) is
    # "a:"; the other styles are "b:", weaker when two organizations share an acronym.
    return {("a:" if usual else "b:") + acronym for acronym, usual in variants.items()}


def query_acronym_keys(analysis: Analysis) -> tuple[str, str] | None:
    """The acronym keys (usual style, other styles) a one-word query could be ("CJNG"),
    legal form and titles aside ("TMZ OAO", "RB LLC": the acronym of the name before it)."""
    if len(analysis.core) == 1 and analysis.core[0].isalpha():
        token = analysis.core[0]
        if len(token) in ACRONYM_LENGTHS:
            return "a:" + token, "b:" + token
    return None
