"""Full-text search, whole: the query language (query, types, variants: other spellings of a word),
the stemmer (textindex), the index (index), the SQL for SQLite FTS5 and PostgreSQL (sql), running a
query (execute) with relevance and similar items folded (relevance, similar), and snippets.
`spellings` (other scripts' spellings of a word) imports nothing: the topic matcher shares it."""
