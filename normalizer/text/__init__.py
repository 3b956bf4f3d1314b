"""Pure text: folding names to comparable tokens, transliteration, phonetic keys, the word
tables (``data/*.yml``), and the lookup keys a name is indexed and looked up under. No I/O
but reading the word tables once."""
