"""Score a query against one alias: token alignment weighted by rarity.

Tokens are paired greedily by similarity, name words before optional ones: exact, same
spelling fold, an abbreviation or a number written out (data tables), a nickname, OCR
confusions, one typo, Jaro-Winkler on the tokens or their folds, consonant skeletons (for
names transcribed from another script, and vowel variants of romanized ones), initials, two
adjacent tokens (or three around a particle) written as one, and (organizations) one word
that is the acronym of several. Query words the alias lacks may be found in another name of
the same entity. Weights are token rarity in the table (IDF), so "Oseguera" counts for more
than "Mohammad". The score is the weighted mean similarity of what matched, times the share
of the query matched (squared: an unmatched query word may name someone else, unless the
whole alias was found), times a mild penalty for alias words the query lacks (a partial
name).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from normalizer.aliases.model import PERSON_TYPES
from normalizer.match.similarity import token_similarity
from normalizer.table.records import AliasRecord
from normalizer.table.weights import OPTIONAL_WEIGHT
from normalizer.text import tables
from normalizer.text.normalize import Analysis

MIN_COMPOUND = 0.92
SUPERSET_EXPONENT = 0.35
SUPERSET_EXPONENT_SURE = 0.2
WHOLE_TRANSCRIPTION_BONUS = 0.05
PARTIAL_PENALTY = 0.2
# A word written as the initials of several words on the other side ("FPLC" for "Frente
# Popular de Liberación Costera"): sure of the letters, not of the reading.
ACRONYM_SIMILARITY = 0.9
ACRONYM_RUN = range(3, 9)
# One query word only like another (a typo? another name?) is weak evidence on its own.
SINGLE_WORD_FUZZY_CAP = 0.78
# ... unless one letter differs from a whole one-word alias of at least this many letters.
ONE_WORD_LENGTH = 6
UNMATCHED_OPTIONAL_COST = 0.99
# A query word found, as written or respelled, only in another name of the same entity.
BORROWED_SIMILARITY = 0.9
_AS_WRITTEN = frozenset({"exact", "phonetic", "abbreviation", "number", "nickname"})


@dataclass(frozen=True, slots=True)
class Pair:
    query: tuple[int, ...]
    alias: tuple[int, ...]
    similarity: float
    how: str
    # The share of the query's weight this pair carries, times its similarity.
    contribution: float = 0.0


@dataclass(frozen=True, slots=True)
class Alignment:
    pairs: tuple[Pair, ...]
    query_coverage: float
    alias_coverage: float
    score: float
    method: str


def _in_order(pairs: list[Pair]) -> bool:
    order = [p.alias[0] for p in sorted(pairs, key=lambda p: p.query[0]) if p.alias]
    return order == sorted(order)


Unit = tuple[tuple[int, ...], str, bool]  # token positions, text, joined from two


@lru_cache(maxsize=65536)
def _units(tokens: tuple[str, ...]) -> tuple[Unit, ...]:
    """Each token, each two adjacent tokens joined ("abdul rahman" -> "abdulrahman"), and
    three around a particle ("abd al latif" -> "abdallatif", written "Abdullatif")."""
    singles: list[Unit] = [((i,), t, False) for i, t in enumerate(tokens)]
    joined: list[Unit] = [
        ((i, i + 1), tokens[i] + tokens[i + 1], True) for i in range(len(tokens) - 1)
    ]
    particles = tables.particles()
    joined += [
        ((i - 1, i, i + 1), tokens[i - 1] + tokens[i] + tokens[i + 1], True)
        for i in range(1, len(tokens) - 1)
        if tokens[i] in particles
    ]
    return tuple(singles + joined)


Run = tuple[tuple[int, ...], str]  # consecutive token positions, their initials


@lru_cache(maxsize=65536)
def _acronym_runs(tokens: tuple[str, ...]) -> tuple[Run, ...]:
    """Runs of words that could be written as their initials, function words skipped
    ("Frente Popular de Liberacion Costera" -> "fplc"); a run starts and ends on a name word."""
    stop = tables.stopwords()
    runs: list[Run] = []
    for start, first in enumerate(tokens):
        if first in stop or not first.isalpha():
            continue
        initials = first[0]
        for end in range(start + 1, len(tokens)):
            word = tokens[end]
            if not word.isalpha():
                break
            if word in stop:
                continue
            initials += word[0]
            if len(initials) > ACRONYM_RUN.stop - 1:
                break
            if len(initials) in ACRONYM_RUN:
                runs.append((tuple(range(start, end + 1)), initials))
    return tuple(runs)


def _acronym_pairs(query: Analysis, record: AliasRecord) -> list[Pair]:
    """A word of one name that is the initials of a run of words of the other, either way
    ("TSD" in "Grupo TSD" for "Transportes San Diego"). Organizations only: in a person's
    name a short word such as "Abu" is a word, not initials."""
    if record.entity_type in PERSON_TYPES:
        return []
    pairs = []
    for span, initials in _acronym_runs(record.tokens):
        for i, token in enumerate(query.tokens):
            if token == initials and not query.optional[i]:
                pairs.append(Pair((i,), span, ACRONYM_SIMILARITY, "acronym"))
    for span, initials in _acronym_runs(query.tokens):
        for i, token in enumerate(record.tokens):
            if token == initials and not record.optional[i]:
                pairs.append(Pair(span, (i,), ACRONYM_SIMILARITY, "acronym"))
    return pairs


def align(
    query: Analysis,
    weights: tuple[float, ...],
    record: AliasRecord,
    transcribed: bool = False,
    elsewhere: frozenset[str] = frozenset(),
) -> Alignment:
    """Pair the query's tokens with the alias's and score the pairing.

    ``weights`` are the query tokens' rarity in the table; 0 means "not in the table", and
    the token then takes the weight of the alias token it pairs with (or, unpaired, the
    alias's rarest). Optional tokens weigh a tenth. ``elsewhere``: the words of the same
    entity's other names, which query words the alias lacks may be found in.
    """
    tokens = query.tokens
    candidates: list[tuple[float, Pair]] = []
    alias_units = _units(record.tokens)
    for q_span, q_text, q_joined in _units(tokens):
        for a_span, a_text, a_joined in alias_units:
            compound = q_joined or a_joined
            if compound and (q_joined and a_joined or abs(len(q_text) - len(a_text)) > 2):
                continue
            similarity, how = token_similarity(q_text, a_text, transcribed)
            if compound and similarity < MIN_COMPOUND:
                continue
            if similarity:
                how = "compound" if compound else how
                weight = sum(record.weights[i] for i in a_span)
                candidates.append((weight, Pair(q_span, a_span, similarity, how)))
    for pair in _acronym_pairs(query, record):
        candidates.append((sum(record.weights[i] for i in pair.alias), pair))

    # Name words first, so that a particle paired as written never keeps "Abdurahim" from
    # "Abd al-Rahim"; then most similar first; among equals, the rarer alias tokens and
    # then single tokens.
    def optional_only(pair: Pair) -> bool:
        return all(query.optional[i] for i in pair.query) and all(
            record.optional[i] for i in pair.alias
        )

    candidates.sort(
        key=lambda item: (
            optional_only(item[1]),
            -item[1].similarity,
            -item[0],
            len(item[1].query) + len(item[1].alias),
        )
    )
    used_q: set[int] = set()
    used_a: set[int] = set()
    pairs: list[Pair] = []
    for _, pair in candidates:
        if used_q.isdisjoint(pair.query) and used_a.isdisjoint(pair.alias):
            pairs.append(pair)
            used_q.update(pair.query)
            used_a.update(pair.alias)
    for pair in _borrowed(query, pairs, used_q, elsewhere, transcribed):
        pairs.append(pair)
        used_q.update(pair.query)

    alias_weight_of = dict(enumerate(record.weights))
    query_weights = list(weights)
    for pair in pairs:
        alias_weight = sum(alias_weight_of[i] for i in pair.alias) / len(pair.query)
        for i in pair.query:
            if query_weights[i] == 0.0:
                query_weights[i] = alias_weight
    unknown = max(record.weights, default=1.0)
    query_weights = [
        (w or unknown) * (OPTIONAL_WEIGHT if optional else 1.0)
        for w, optional in zip(query_weights, query.optional, strict=True)
    ]

    # Unmatched optional tokens (a title, a legal form) leave the coverage alone and cost
    # a little each: "Presidente Alejandro Giammattei" is still Alejandro Giammattei.
    q_counted = [not opt or i in used_q for i, opt in enumerate(query.optional)]
    a_counted = [not opt or i in used_a for i, opt in enumerate(record.optional)]
    unmatched_optional = q_counted.count(False) + a_counted.count(False)
    q_matched = sum(query_weights[i] for p in pairs for i in p.query)
    a_matched = sum(record.weights[i] for p in pairs for i in p.alias)
    q_total = sum(w for w, counted in zip(query_weights, q_counted, strict=True) if counted)
    a_total = sum(w for w, counted in zip(record.weights, a_counted, strict=True) if counted)
    q_total = q_total or 1.0
    q_cov = min(q_matched / q_total, 1.0)
    a_cov = min(a_matched / (a_total or 1.0), 1.0)
    # The weighted mean similarity of what matched, times the share matched on each side.
    quality = sum(query_weights[i] * p.similarity for p in pairs for i in p.query)
    quality = quality / q_matched if q_matched else 0.0
    # Extra query words count against a candidate (they may name someone else), less so
    # when every word of the alias was found ("Hassan Muhammad Ayash" has "Hassan Ayash").
    exponent = 2.0
    if a_cov >= 0.999:
        # Surer when two or more of the alias's own words are found as written.
        sure = len([p for p in pairs if not all(record.optional[i] for i in p.alias)]) >= 2
        sure = sure and all(p.how in ("exact", "phonetic") for p in pairs)
        exponent = SUPERSET_EXPONENT_SURE if sure else SUPERSET_EXPONENT
    score = quality * q_cov**exponent * (1.0 - PARTIAL_PENALTY * (1.0 - a_cov))
    score *= UNMATCHED_OPTIONAL_COST**unmatched_optional
    if transcribed and len(pairs) >= 2 and min(q_cov, a_cov) >= 0.999 and _in_order(pairs):
        # Every word of both names paired, in order: together, weak transcription
        # similarities say more than each alone ("Джин Энтони Рэй", Gene Anthony Ray).
        score += (1.0 - score) * WHOLE_TRANSCRIPTION_BONUS
    if len(query.core) == 1 and not {p.how for p in pairs} & {"exact", "phonetic"}:
        if not _one_letter_apart(query, record, pairs):
            score = min(score, SINGLE_WORD_FUZZY_CAP)
    if sum(len(tokens[i]) for p in pairs for i in p.query if not query.optional[i]) < 4:
        # "EL M", "K.": too few letters to tell anyone apart.
        score = min(score, SINGLE_WORD_FUZZY_CAP)
    explained = tuple(
        replace(p, contribution=sum(query_weights[i] for i in p.query) * p.similarity / q_total)
        for p in pairs
    )
    return Alignment(explained, q_cov, a_cov, score, _method(tokens, record, pairs, used_a))


def _borrowed(
    query: Analysis,
    pairs: list[Pair],
    used: set[int],
    elsewhere: frozenset[str],
    transcribed: bool,
) -> list[Pair]:
    """Query words the alias lacks but another name of the same entity has, as written or
    respelled: a nickname beside the surname ("Cuervo Batista" for the alias "El Cuervo"
    of Rogelio Batista). No more of them than the alias's own name words found in the query,
    so that many names of one entity never add up to a name of someone else."""
    own = sum(1 for p in pairs if not all(query.optional[i] for i in p.query))
    if not own or not elsewhere:
        return []
    found = []
    paired = {query.tokens[i] for i in used}
    for i, token in enumerate(query.tokens):
        # Optional words cost little unmatched; a word the alias already paired once, when
        # the query repeats it, is another person's name ("Nabil Yousef Nabil").
        if i in used or query.optional[i] or token in paired:
            continue
        if any(token_similarity(token, word, transcribed)[1] in _AS_WRITTEN for word in elsewhere):
            found.append(Pair((i,), (), BORROWED_SIMILARITY, "other name"))
    return found if len(found) <= own else []


def _one_letter_apart(query: Analysis, record: AliasRecord, pairs: list[Pair]) -> bool:
    """The query is one word, a one-word alias with one letter written another way, long
    enough to be a name rather than a coincidence ("Tokala" for the nickname "Tokalo").
    Among shorter words one letter often makes another name ("Karim", "Karin"), and so
    does a letter more or less at any length ("Petrov", "Petrova")."""
    core = [i for i, optional in enumerate(record.optional) if not optional]
    if len(core) != 1 or len(pairs) != 1 or pairs[0].alias != (core[0],):
        return False
    word, alias_word = query.tokens[pairs[0].query[0]], record.tokens[core[0]]
    if len(pairs[0].query) != 1 or len(word) != len(alias_word) or len(word) < ONE_WORD_LENGTH:
        return False
    return sum(a != b for a, b in zip(word, alias_word, strict=True)) == 1


def _method(
    tokens: tuple[str, ...], record: AliasRecord, pairs: list[Pair], used_alias: set[int]
) -> str:
    missing_alias = [
        i for i in range(len(record.tokens)) if i not in used_alias and not record.optional[i]
    ]
    if missing_alias:
        return "partial"
    kinds = {p.how for p in pairs}
    if "acronym" in kinds:
        return "acronym"
    if kinds <= {"exact", "abbreviation", "number"}:
        order = [p.alias[0] for p in sorted(pairs, key=lambda p: p.query[0]) if p.alias]
        return "normalized" if order == sorted(order) else "reordered"
    if kinds <= {"exact", "phonetic", "transliteration"}:
        return "phonetic"
    return "fuzzy"
