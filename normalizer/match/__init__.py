"""Matching a name against the compiled table, in layers each module imports only below it:

- similarity: how alike two words are;
- pairing: which words of a query and an alias pair;
- pair_candidates: the pairs of a query's and an alias's words alike enough to choose;
- scoring: the score of one alias for a query, from its pairs;
- results: candidates and resolutions, and their JSON;
- query_keys: the keys a query's words look up;
- query: a name's words and the keys it looks up;
- second_fetch: the keys a query looks up of what its first fetch found;
- decision: one query's candidates ranked, and the match, if any;
- matcher: the lookup (two batched fetches), the shortlist and the decision.
"""
